import Metrics

/// What the controller worker records per job: every flow's duration and outcome, and the
/// failover flows' started/succeeded/failed counts (the figures an operator alerts on).
public struct FlowMetrics: Sendable {
    /// How a flow ended.
    public enum Outcome: String, Sendable {
        case succeeded, failed
        /// Stopped by shutdown or a lost lease; another worker runs it again.
        case interrupted
    }

    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A flow begins. `isFailover` flows also count in `octavia_failovers_started_total`.
    public func started(flow: String, isFailover: Bool) {
        Counter(label: "octavia_flows_started_total", dimensions: [("flow", flow)], factory: factory).increment()
        if isFailover {
            Counter(label: "octavia_failovers_started_total", dimensions: [("flow", flow)], factory: factory).increment()
        }
    }

    /// A flow ended: its duration goes into `octavia_flow_duration_seconds` and its outcome into
    /// `octavia_flows_finished_total` (and the failover succeeded/failed counters).
    public func finished(flow: String, isFailover: Bool, duration: Duration, outcome: Outcome) {
        let labels = [("flow", flow), ("outcome", outcome.rawValue)]
        Timer(label: "octavia_flow_duration_seconds", dimensions: labels, preferredDisplayUnit: .seconds, factory: factory)
            .record(duration: duration)
        Counter(label: "octavia_flows_finished_total", dimensions: labels, factory: factory).increment()
        guard isFailover else { return }
        switch outcome {
        case .succeeded:
            Counter(label: "octavia_failovers_succeeded_total", dimensions: [("flow", flow)], factory: factory).increment()
        case .failed:
            Counter(label: "octavia_failovers_failed_total", dimensions: [("flow", flow)], factory: factory).increment()
        case .interrupted:
            break
        }
    }
}
