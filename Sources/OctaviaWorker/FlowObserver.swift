import OctaviaCore

/// Told when each job's flow starts and ends, so the executable can turn that into metrics
/// without the worker depending on a metrics backend.
public protocol FlowObserver: Sendable {
    func flowStarted(_ action: JobAction)
    func flowFinished(_ action: JobAction, duration: Duration, outcome: FlowOutcome)
}

/// How a job's flow ended.
public enum FlowOutcome: String, Sendable {
    case succeeded, failed
    /// Stopped by shutdown or a lost lease; the job stays queued for a takeover.
    case interrupted

    init(_ result: Result<Void, any Error>) {
        switch result {
        case .success: self = .succeeded
        case .failure(let error): self = error is CancellationError ? .interrupted : .failed
        }
    }
}

extension JobAction {
    /// Octavia-style flow name (`create_load_balancer`, `update_member`, `failover_amphora`…).
    public var flowName: String {
        switch self {
        case .createLoadBalancer: "create_load_balancer"
        case .updateLoadBalancer: "update_load_balancer"
        case .deleteLoadBalancer: "delete_load_balancer"
        case .changeObject(_, let object, let change): "\(change.rawValue)_\(object.kindName)"
        case .failoverLoadBalancer: "failover_load_balancer"
        case .failoverAmphora: "failover_amphora"
        case .batchUpdateMembers: "batch_update_members"
        case .deleteAmphora: "delete_amphora"
        }
    }

    /// The failover flows, counted separately.
    public var isFailover: Bool {
        switch self {
        case .failoverLoadBalancer, .failoverAmphora: true
        default: false
        }
    }
}

extension ObjectRef {
    var kindName: String {
        switch self {
        case .listener: "listener"
        case .pool: "pool"
        case .member: "member"
        case .healthMonitor: "health_monitor"
        case .l7policy: "l7policy"
        case .l7rule: "l7rule"
        }
    }
}
