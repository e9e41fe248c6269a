/// Octavia's status rules for finishing a job, as pure functions (no I/O).
public enum StatusRules {
    /// The operating status a new member starts with.
    public static func initialMemberOperatingStatus(poolHasMonitor: Bool) -> OperatingStatus {
        poolHasMonitor ? .offline : .noMonitor
    }

    /// Operating status for objects the worker activates that heartbeats do not drive
    /// (health monitors): ONLINE when enabled, else OFFLINE.
    public static func activatedOperatingStatus(adminStateUp: Bool) -> OperatingStatus {
        adminStateUp ? .online : .offline
    }
}
