/// One amphora heartbeat body as Octavia's health daemon builds it (`build_stats_message`, message
/// version 3). Ids stay plain strings: this is the wire shape, shared by the amphora-side sender and
/// the controller's receiver; typed ids belong to the layers that interpret it.
public struct HeartbeatMessage: Codable, Sendable, Equatable {
    /// The `ver` Octavia's amphora agent sends today: top-level pools keyed `<pool>:<listener>`,
    /// listener counters as deltas since the previous message.
    public static let currentVersion = 3

    /// `id`: the amphora id.
    public var amphoraID: String
    /// `seq`: per-process counter starting at 0; absent only from pre-versioning senders.
    public var sequence: Int64?
    /// `ver`; absent in pre-versioning (Rocky) messages, which the receiver treats as < 2 for pools.
    public var version: Int?
    /// `listeners`, keyed by listener id (HAProxy frontend `pxname`).
    public var listeners: [String: Listener]
    /// `pools` (ver >= 2), keyed `<pool_id>:<listener_id>` (LVS pools: plain pool id);
    /// see ``HeartbeatPoolKey``. Decodes as empty when absent (ver 1).
    public var pools: [String: Pool]
    /// `recv_time`: seconds since the epoch, added by the receiver; never sent by the amphora.
    public var receivedTime: Double?

    public init(amphoraID: String, sequence: Int64?, version: Int? = HeartbeatMessage.currentVersion,
                listeners: [String: Listener] = [:], pools: [String: Pool] = [:], receivedTime: Double? = nil) {
        self.amphoraID = amphoraID; self.sequence = sequence; self.version = version
        self.listeners = listeners; self.pools = pools; self.receivedTime = receivedTime
    }

    enum CodingKeys: String, CodingKey {
        case amphoraID = "id", sequence = "seq", version = "ver", listeners, pools, receivedTime = "recv_time"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amphoraID = try c.decode(String.self, forKey: .amphoraID)
        sequence = try c.decodeIfPresent(Int64.self, forKey: .sequence)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        listeners = try c.decodeIfPresent([String: Listener].self, forKey: .listeners) ?? [:]
        pools = try c.decodeIfPresent([String: Pool].self, forKey: .pools) ?? [:]
        receivedTime = try c.decodeIfPresent(Double.self, forKey: .receivedTime)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amphoraID, forKey: .amphoraID)
        try c.encodeIfPresent(sequence, forKey: .sequence)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encode(listeners, forKey: .listeners)
        // Octavia's ver >= 2 sender always includes `pools`, even when empty.
        if version.map({ $0 >= 2 }) ?? false || !pools.isEmpty { try c.encode(pools, forKey: .pools) }
        try c.encodeIfPresent(receivedTime, forKey: .receivedTime)
    }

    /// One listener entry: HAProxy frontend status and counters.
    public struct Listener: Codable, Sendable, Equatable {
        public var status: HeartbeatListenerStatus
        public var stats: Stats
        /// ver 1 only: pools nested in the listener, keyed by plain pool id.
        public var legacyPools: [String: Pool]?

        public init(status: HeartbeatListenerStatus, stats: Stats, legacyPools: [String: Pool]? = nil) {
            self.status = status; self.stats = stats; self.legacyPools = legacyPools
        }

        enum CodingKeys: String, CodingKey { case status, stats, legacyPools = "pools" }
    }

    /// Listener counters. With ver >= 3, `tx`, `rx`, `totconns` and `ereq` are deltas since the
    /// previous message while `conns` is absolute; older versions send absolutes for all.
    public struct Stats: Codable, Sendable, Equatable {
        /// Bytes out (HAProxy `bout`).
        public var tx: Int64
        /// Bytes in (HAProxy `bin`).
        public var rx: Int64
        /// Current connections (HAProxy `scur`).
        public var conns: Int64
        /// Total connections (HAProxy `stot`).
        public var totconns: Int64
        /// Request errors (HAProxy `ereq`).
        public var ereq: Int64

        public init(tx: Int64 = 0, rx: Int64 = 0, conns: Int64 = 0, totconns: Int64 = 0, ereq: Int64 = 0) {
            self.tx = tx; self.rx = rx; self.conns = conns; self.totconns = totconns; self.ereq = ereq
        }
    }

    /// One pool entry: HAProxy backend status and each server's status keyed by member id.
    public struct Pool: Codable, Sendable, Equatable {
        public var status: HeartbeatPoolStatus
        public var members: [String: HeartbeatMemberStatus]

        public init(status: HeartbeatPoolStatus, members: [String: HeartbeatMemberStatus] = [:]) {
            self.status = status; self.members = members
        }
    }
}
