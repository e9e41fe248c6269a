import Foundation

/// An object below a load balancer that a job changes.
public enum ObjectRef: Codable, Sendable, Equatable, Hashable {
    case listener(Listener.ID)
    case pool(Pool.ID)
    case member(Member.ID)
    case healthMonitor(HealthMonitor.ID)
    case l7policy(L7Policy.ID)
    case l7rule(L7Rule.ID)
}

public enum ChangeKind: String, Codable, Sendable {
    case create, update, delete
}

/// Work the API hands to the controller worker, stored durably in the job table.
public enum JobAction: Codable, Sendable, Equatable {
    case createLoadBalancer(LoadBalancer.ID)
    case updateLoadBalancer(LoadBalancer.ID)
    case deleteLoadBalancer(LoadBalancer.ID, cascade: Bool)
    /// Create/update/delete of one child object: re-render and push the LB's configuration.
    case changeObject(LoadBalancer.ID, ObjectRef, ChangeKind)
    /// Replace every amphora of the load balancer (`PUT /loadbalancers/{id}/failover`).
    case failoverLoadBalancer(LoadBalancer.ID)
    /// Replace one amphora (`PUT /octavia/amphorae/{id}/failover`); the LB id keys the job.
    case failoverAmphora(LoadBalancer.ID, Amphora.ID)
    /// `PUT /pools/{id}/members`: the members' PENDING_* states say what changed; one re-render.
    case batchUpdateMembers(LoadBalancer.ID, Pool.ID)
    /// `DELETE /octavia/amphorae/{id}` of an ERROR amphora: remove its instance and ports.
    case deleteAmphora(LoadBalancer.ID, Amphora.ID)

    public var loadBalancerID: LoadBalancer.ID {
        switch self {
        case .createLoadBalancer(let id), .updateLoadBalancer(let id), .deleteLoadBalancer(let id, _),
             .changeObject(let id, _, _), .failoverLoadBalancer(let id), .failoverAmphora(let id, _),
             .batchUpdateMembers(let id, _), .deleteAmphora(let id, _):
            return id
        }
    }
}

public struct Job: Sendable, Equatable {
    public typealias ID = Identifier<Job>
    public var id: ID
    public var action: JobAction
    /// How many times a worker has started this job (1 on the first run).
    public var attempts: Int

    public init(id: ID, action: JobAction, attempts: Int) {
        self.id = id; self.action = action; self.attempts = attempts
    }
}

/// Who holds a job: a worker process on a host.
public struct WorkerIdentity: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    /// Distinguishes a restarted process that got the same pid.
    public var startedAt: Int64

    public init(host: String, pid: Int32, startedAt: Int64) {
        self.host = host; self.pid = pid; self.startedAt = startedAt
    }

    public init(string: String) {
        let parts = string.split(separator: "/")
        host = parts.count > 0 ? String(parts[0]) : ""
        pid = parts.count > 1 ? Int32(parts[1]) ?? 0 : 0
        startedAt = parts.count > 2 ? Int64(parts[2]) ?? 0 : 0
    }

    public var description: String { "\(host)/\(pid)/\(startedAt)" }
}

/// What a claimer knows about the worker holding a job.
public enum HolderLiveness: Sendable {
    /// Known to be running (same host, pid alive): its job is never taken, whatever its lease says.
    case alive
    /// Known to be gone (same host, pid gone or reused): its job is taken at once.
    case dead
    /// Another host: only an expired lease frees its job.
    case unknown
}

/// The durable queue between API and workers. Claims are atomic so several workers can share it.
public protocol JobQueue: Sendable {
    /// Atomically takes the oldest pending job, or one whose holder is dead, or whose holder's
    /// liveness is unknown and whose lease expired. Increments `attempts`.
    func claim(by worker: WorkerIdentity, lease: Duration, liveness: @Sendable (WorkerIdentity) -> HolderLiveness) async throws -> Job?
    /// Extends the lease; returns false if the job is no longer held by `worker`.
    func renew(_ id: Job.ID, by worker: WorkerIdentity, lease: Duration) async throws -> Bool
    /// Removes a finished job (success or final failure). Idempotent. Flows normally remove their
    /// job in the same transaction as their last status change (``StoreWriting/removeJob(_:)``).
    func finish(_ id: Job.ID) async throws
    /// Number of jobs not yet finished.
    func pendingCount() async throws -> Int
    /// Resolves when a job may have been enqueued by this process, or after `timeout`.
    func waitForWork(timeout: Duration) async
}
