/// The `[health_manager]` options a local amphora's agent gets, so it sends heartbeats.
public struct LocalAmphoraHeartbeat: Sendable, Equatable {
    /// `heartbeat_key`: the HMAC key shared with the health manager.
    public var key: String
    /// `heartbeat_interval` in seconds.
    public var interval: Int
    /// `controller_ip_port_list`: `ip:port` entries, or `unix:<path>` for the health manager's Unix
    /// datagram socket (the only way out of a local amphora's network namespace).
    public var destinations: [String]

    public init(key: String, interval: Int, destinations: [String]) {
        self.key = key; self.interval = interval; self.destinations = destinations
    }

    /// The INI section written into the agent configuration.
    var configSection: String {
        """
        [health_manager]
        heartbeat_key = \(key)
        heartbeat_interval = \(interval)
        controller_ip_port_list = \(destinations.joined(separator: ", "))

        """
    }
}
