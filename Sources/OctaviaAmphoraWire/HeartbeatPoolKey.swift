/// A key of ``HeartbeatMessage/pools``: `<pool_id>:<listener_id>` for HAProxy pools, a plain pool id
/// for LVS (UDP/SCTP) pools, whose key comes from the keepalived config.
public struct HeartbeatPoolKey: Hashable, Sendable, CustomStringConvertible {
    public var poolID: String
    public var listenerID: String?

    public init(poolID: String, listenerID: String?) {
        self.poolID = poolID; self.listenerID = listenerID
    }

    /// Splits at the first `:` (ids are UUIDs and never contain one).
    public init(_ key: String) {
        if let colon = key.firstIndex(of: ":") {
            poolID = String(key[..<colon])
            listenerID = String(key[key.index(after: colon)...])
        } else {
            poolID = key
            listenerID = nil
        }
    }

    public var description: String { listenerID.map { "\(poolID):\($0)" } ?? poolID }
}
