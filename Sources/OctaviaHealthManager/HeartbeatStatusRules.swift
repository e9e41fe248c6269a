import OctaviaAmphoraWire
import OctaviaCore

/// Octavia's operating-status rules for one heartbeat (lifecycle.md "Operating status computation",
/// `UpdateHealthDb.update_health`), as a pure function: the load balancer's current statuses and one
/// message in, the rows whose status changes out.
public enum HeartbeatStatusRules {
    /// Protocols HAProxy cannot serve here (no IPVS in this kernel), so amphorae never report them.
    static let unreportedProtocols: Set<ListenerProtocol> = [.udp, .sctp]

    /// Whether this heartbeat may refresh the amphora's liveness: it must report every enabled
    /// listener (unless the LB is PENDING_* or admin-down) and must not have waited longer than one
    /// heartbeat interval before being processed.
    public static func refreshesLiveness(_ message: HeartbeatMessage, loadBalancer lb: LoadBalancerHealthView,
                                         processingDelay: Double, heartbeatInterval: Double) -> Bool {
        guard processingDelay < heartbeatInterval else { return false }
        if lb.provisioningStatus.isPending || !lb.adminStateUp { return true }
        let expected = lb.listeners.filter { $0.adminStateUp && !unreportedProtocols.contains($0.protocol) }.count
        return message.listeners.count == expected
    }

    /// The operating-status changes `message` implies for `lb`; unchanged rows are left out.
    public static func changes(for message: HeartbeatMessage, loadBalancer lb: LoadBalancerHealthView) -> [OperatingStatusChange] {
        changes(for: message, loadBalancer: lb, pools: poolsOutcome(reported: reportedPools(message), pools: lb.pools))
    }

    /// The same, with the pool part already worked out (``poolsOutcome(reported:pools:)``, which
    /// depends only on the reported pools and the tree's pools, so it can be reused while both stay equal).
    static func changes(for message: HeartbeatMessage, loadBalancer lb: LoadBalancerHealthView,
                        pools: PoolsOutcome) -> [OperatingStatusChange] {
        var changes: [OperatingStatusChange] = []
        let base: OperatingStatus = lb.adminStateUp ? .online : .offline
        var anyListenerFull = false

        for listener in lb.listeners {
            let new: OperatingStatus?
            if let entry = message.listeners[listener.id.rawValue] {
                switch entry.status {
                case .open: new = .online
                case .full:
                    new = .degraded
                    anyListenerFull = true
                default: new = nil // unknown frontend state: keep what we have
                }
            } else {
                new = listener.adminStateUp && lb.provisioningStatus == .active ? .error : .offline
            }
            if let new, new != listener.operatingStatus { changes.append(.listener(listener.id, new)) }
        }
        changes += pools.changes

        // A DOWN pool makes the LB ERROR; a FULL listener or an ERROR member makes an ONLINE LB DEGRADED.
        let lbStatus: OperatingStatus = pools.anyPoolDown ? .error
            : base == .online && (anyListenerFull || pools.anyMemberError) ? .degraded : base
        if lbStatus != lb.operatingStatus { changes.append(.loadBalancer(lb.id, lbStatus)) }
        return changes
    }

    /// The pool and member changes of one heartbeat, and what they mean for the LB's status.
    struct PoolsOutcome: Sendable, Equatable {
        var changes: [OperatingStatusChange] = []
        /// A reported pool is DOWN.
        var anyPoolDown = false
        /// A member of a reported pool is in an error state.
        var anyMemberError = false
    }

    /// The pool part of ``changes(for:loadBalancer:)``: `reported` from ``reportedPools(_:)``.
    static func poolsOutcome(reported: [String: HeartbeatMessage.Pool],
                             pools: [LoadBalancerHealthView.PoolView]) -> PoolsOutcome {
        var outcome = PoolsOutcome()
        for pool in pools {
            guard let entry = reported[pool.id.rawValue] else {
                if pool.operatingStatus != .offline { outcome.changes.append(.pool(pool.id, .offline)) }
                continue
            }
            var poolStatus: OperatingStatus?
            switch entry.status {
            case .up: poolStatus = .online
            case .down:
                poolStatus = .error
                outcome.anyPoolDown = true
            default: poolStatus = nil
            }
            for member in pool.members {
                let new: OperatingStatus?
                if let value = entry.members[member.id.rawValue] {
                    new = memberStatus(value)
                    if new == .error {
                        if poolStatus == .online { poolStatus = .degraded }
                        outcome.anyMemberError = true
                    }
                } else {
                    new = member.operatingStatus == .noMonitor ? nil : .offline
                }
                if let new, new != member.operatingStatus { outcome.changes.append(.member(member.id, new)) }
            }
            if let poolStatus, poolStatus != pool.operatingStatus { outcome.changes.append(.pool(pool.id, poolStatus)) }
        }
        return outcome
    }

    /// A member's status from HAProxy's server status string; nil keeps the current one.
    static func memberStatus(_ value: HeartbeatMemberStatus) -> OperatingStatus? {
        // The common values first: comparing small strings is far cheaper than hasPrefix.
        if value == .up { return .online }
        if value == .down { return .error }
        let raw = value.rawValue
        if raw.hasPrefix("UP") { return .online }
        if raw.hasPrefix("DOWN") { return .error }
        switch value {
        case .drain: return .draining
        case .maintenance: return .offline
        case .noCheck: return .noMonitor
        default: return nil // RESTARTING and anything unknown
        }
    }

    /// Pools by plain pool id: top-level `<pool>:<listener>` keys (ver ≥ 2) or pools nested in
    /// listeners (ver 1). A pool behind several listeners keeps its first entry.
    static func reportedPools(_ message: HeartbeatMessage) -> [String: HeartbeatMessage.Pool] {
        var pools: [String: HeartbeatMessage.Pool] = [:]
        for key in message.pools.keys.sorted() {
            let id = HeartbeatPoolKey(key).poolID
            if pools[id] == nil { pools[id] = message.pools[key] }
        }
        for listenerID in message.listeners.keys.sorted() {
            for (id, pool) in message.listeners[listenerID]?.legacyPools ?? [:] where pools[id] == nil { pools[id] = pool }
        }
        return pools
    }
}
