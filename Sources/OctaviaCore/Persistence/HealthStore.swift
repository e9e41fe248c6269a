import Foundation

/// What the health manager needs to know about one amphora to apply its heartbeat: only ids and
/// statuses, read with narrow queries so a large fleet's heartbeats stay cheap.
public struct AmphoraHealthView: Sendable, Equatable {
    public var amphoraID: Amphora.ID
    public var amphoraStatus: AmphoraStatus
    public var loadBalancer: LoadBalancerHealthView?

    public init(amphoraID: Amphora.ID, amphoraStatus: AmphoraStatus, loadBalancer: LoadBalancerHealthView?) {
        self.amphoraID = amphoraID; self.amphoraStatus = amphoraStatus; self.loadBalancer = loadBalancer
    }
}

/// A load balancer and its listeners, pools and members, as statuses.
public struct LoadBalancerHealthView: Sendable, Equatable {
    public struct ListenerView: Sendable, Equatable {
        public var id: Listener.ID
        public var adminStateUp: Bool
        public var `protocol`: ListenerProtocol
        public var operatingStatus: OperatingStatus
        public init(id: Listener.ID, adminStateUp: Bool, protocol: ListenerProtocol, operatingStatus: OperatingStatus) {
            self.id = id; self.adminStateUp = adminStateUp; self.protocol = `protocol`; self.operatingStatus = operatingStatus
        }
    }

    public struct PoolView: Sendable, Equatable {
        public var id: Pool.ID
        public var operatingStatus: OperatingStatus
        public var members: [MemberView]
        public init(id: Pool.ID, operatingStatus: OperatingStatus, members: [MemberView]) {
            self.id = id; self.operatingStatus = operatingStatus; self.members = members
        }
    }

    public struct MemberView: Sendable, Equatable {
        public var id: Member.ID
        public var operatingStatus: OperatingStatus
        public init(id: Member.ID, operatingStatus: OperatingStatus) { self.id = id; self.operatingStatus = operatingStatus }
    }

    public var id: LoadBalancer.ID
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var listeners: [ListenerView]
    public var pools: [PoolView]

    public init(id: LoadBalancer.ID, adminStateUp: Bool, provisioningStatus: ProvisioningStatus,
                operatingStatus: OperatingStatus, listeners: [ListenerView], pools: [PoolView]) {
        self.id = id; self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.listeners = listeners; self.pools = pools
    }
}

/// One operating-status change to write.
public enum OperatingStatusChange: Sendable, Equatable, Hashable {
    case loadBalancer(LoadBalancer.ID, OperatingStatus)
    case listener(Listener.ID, OperatingStatus)
    case pool(Pool.ID, OperatingStatus)
    case member(Member.ID, OperatingStatus)
}

/// One heartbeat's listener counters for `listener_statistics`.
public struct ListenerStatisticsSample: Sendable, Equatable {
    public var listenerID: Listener.ID
    public var amphoraID: Amphora.ID
    public var bytesIn: Int
    public var bytesOut: Int
    public var activeConnections: Int
    public var totalConnections: Int
    public var requestErrors: Int
    /// True for message version ≥ 3: bytes/total/errors are deltas to add; otherwise absolutes to store.
    public var isDelta: Bool

    public init(listenerID: Listener.ID, amphoraID: Amphora.ID, bytesIn: Int, bytesOut: Int, activeConnections: Int,
                totalConnections: Int, requestErrors: Int, isDelta: Bool) {
        self.listenerID = listenerID; self.amphoraID = amphoraID; self.bytesIn = bytesIn; self.bytesOut = bytesOut
        self.activeConnections = activeConnections; self.totalConnections = totalConnections
        self.requestErrors = requestErrors; self.isDelta = isDelta
    }
}

/// Everything a batch of heartbeats writes, applied in one transaction.
public struct HealthUpdateBatch: Sendable, Equatable {
    /// `amphora_health.last_update` refreshes (new rows start not busy; `busy` is never touched here).
    public var liveness: [Amphora.ID: Date] = [:]
    public var statusChanges: [OperatingStatusChange] = []
    public var statistics: [ListenerStatisticsSample] = []

    public init(liveness: [Amphora.ID: Date] = [:], statusChanges: [OperatingStatusChange] = [],
                statistics: [ListenerStatisticsSample] = []) {
        self.liveness = liveness; self.statusChanges = statusChanges; self.statistics = statistics
    }

    public var isEmpty: Bool { liveness.isEmpty && statusChanges.isEmpty && statistics.isEmpty }
}

/// One `amphora_health` row.
public struct AmphoraHealth: Sendable, Equatable {
    public var amphoraID: Amphora.ID
    public var lastUpdate: Date
    /// Set when a failover was started for the amphora; it is then never picked again.
    public var busy: Bool

    public init(amphoraID: Amphora.ID, lastUpdate: Date, busy: Bool) {
        self.amphoraID = amphoraID; self.lastUpdate = lastUpdate; self.busy = busy
    }
}

/// Outcome of one stale-amphora sweep.
public enum StaleSweepResult: Sendable, Equatable {
    /// These amphorae were marked busy and a failover job was enqueued for each.
    case failingOver([Amphora.ID])
    /// `count` amphorae were stale, at or above the threshold: they were marked FAILOVER_STOPPED, no job enqueued.
    case thresholdReached(count: Int, stopped: [Amphora.ID])
}

/// The health manager's view of the database: narrow reads and batched writes (Octavia's
/// `AmphoraHealthRepository` and `ListenerStatisticsRepository`). Every write is one transaction,
/// safe with several health-manager processes.
public protocol HealthStore: Sendable {
    /// Views of the given amphorae; amphorae with no row (or DELETED) are absent from the result.
    func healthViews(of amphorae: [Amphora.ID]) async throws -> [Amphora.ID: AmphoraHealthView]
    /// Upserts liveness, writes status changes and accumulates statistics in one transaction.
    func apply(_ batch: HealthUpdateBatch) async throws
    /// Health row of an amphora, nil when it never reported.
    func amphoraHealth(_ id: Amphora.ID) async throws -> AmphoraHealth?
    /// One sweep: amphorae whose heartbeat is older than `cutoff` and not busy are claimed
    /// (busy = true, LB ACTIVE/ERROR → PENDING_UPDATE, failover job enqueued), at most `limit`
    /// of them; or, when `threshold` is set and at least that many are stale, they are all marked
    /// FAILOVER_STOPPED instead. Fresh FAILOVER_STOPPED amphorae go back to ALLOCATED first, and
    /// health rows of deleted amphorae are removed.
    func sweepStaleAmphorae(cutoff: Date, threshold: Int?, limit: Int) async throws -> StaleSweepResult
}
