/// `[health_manager]`: heartbeat reception and failover of silent amphorae.
public struct HealthManagerSettings: SettingsSection {
    /// `bind_ip` (host address, default 127.0.0.1): address the heartbeat listener binds to.
    public var bindIP: String
    /// `bind_port` (port, default 5555): UDP port for heartbeats.
    public var bindPort: Int
    /// `heartbeat_key` (secret string, optional): HMAC key for heartbeats.
    public var heartbeatKey: String?
    /// `heartbeat_timeout` (int s ≥ 1, default 60): silence after which an amphora is failed over.
    public var heartbeatTimeout: Int
    /// `health_check_interval` (int s ≥ 1, default 3): how often stale amphorae are looked for.
    public var healthCheckInterval: Int
    /// `heartbeat_interval` (int s ≥ 1, default 10): sent to amphorae, how often they report.
    public var heartbeatInterval: Int
    /// `controller_ip_port_list` (list of host:port, default []): sent to amphorae, where to report.
    public var controllerIPPortList: [String]
    /// `failover_threshold` (int ≥ 1, optional): stop failing over when more amphorae than this are stale.
    public var failoverThreshold: Int?
    /// `failover_threads` (int ≥ 1, default 10): concurrent failovers.
    public var failoverThreads: Int

    public enum Option {
        public static let bindIP: ConfigOption<String> = .string(
            "bind_ip", default: "127.0.0.1", help: "IP address the controller listens on for heartbeats.",
            validate: ConfigValueParsing.hostAddressReason)
        public static let bindPort: ConfigOption<Int> = .port(
            "bind_port", default: 5555, help: "Port number the controller listens on for heartbeats.")
        public static let heartbeatKey: ConfigOption<String?> = .optionalString(
            "heartbeat_key", secret: true, help: "Key used to validate amphora sending the message.")
        public static let heartbeatTimeout: ConfigOption<Int> = .integer(
            "heartbeat_timeout", default: 60, min: 1, help: "Interval, in seconds, to wait before failing over an amphora.")
        public static let healthCheckInterval: ConfigOption<Int> = .integer(
            "health_check_interval", default: 3, min: 1, help: "Sleep time between health checks in seconds.")
        public static let heartbeatInterval: ConfigOption<Int> = .integer(
            "heartbeat_interval", default: 10, min: 1, help: "Sleep time between sending heartbeats.")
        public static let controllerIPPortList: ConfigOption<[String]> = .list(
            "controller_ip_port_list", default: [],
            help: "List of controller ip and port pairs for the heartbeat receivers. Example 127.0.0.1:5555, 192.168.0.1:5555",
            validateElement: ConfigValueParsing.hostPortReason)
        public static let failoverThreshold: ConfigOption<Int?> = .optionalInteger(
            "failover_threshold", min: 1,
            help: "Stop failovers if the count of simultaneously failed amphora reaches this number. "
                + "This may prevent large scale accidental failover events.")
        public static let failoverThreads: ConfigOption<Int> = .integer(
            "failover_threads", default: 10, min: 1, help: "Number of threads performing amphora failovers.")
    }

    public static let sectionName = "health_manager"
    public static let sectionHelp = "The health manager: amphora heartbeats and failover."
    public static let options = [
        Option.bindIP.descriptor, Option.bindPort.descriptor, Option.heartbeatKey.descriptor,
        Option.heartbeatTimeout.descriptor, Option.healthCheckInterval.descriptor,
        Option.heartbeatInterval.descriptor, Option.controllerIPPortList.descriptor,
        Option.failoverThreshold.descriptor, Option.failoverThreads.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        bindIP = try reader(Option.bindIP)
        bindPort = try reader(Option.bindPort)
        heartbeatKey = try reader(Option.heartbeatKey)
        heartbeatTimeout = try reader(Option.heartbeatTimeout)
        healthCheckInterval = try reader(Option.healthCheckInterval)
        heartbeatInterval = try reader(Option.heartbeatInterval)
        controllerIPPortList = try reader(Option.controllerIPPortList)
        failoverThreshold = try reader(Option.failoverThreshold)
        failoverThreads = try reader(Option.failoverThreads)
    }
}
