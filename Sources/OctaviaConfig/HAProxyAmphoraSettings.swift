/// `[haproxy_amphora]`: HAProxy inside amphorae and how the controller talks to their agents.
public struct HAProxyAmphoraSettings: SettingsSection {
    /// `base_path` (string, default /var/lib/octavia): base directory for amphora files.
    public var basePath: String
    /// `haproxy_cmd` (string, default /usr/sbin/haproxy): the HAProxy binary.
    public var haproxyCmd: String
    /// `bind_host` (host address, default "::"): address the amphora agent listens on.
    public var bindHost: String
    /// `bind_port` (port, default 9443): port the amphora agent listens on.
    public var bindPort: Int
    /// `default_connection_limit` (int ≥ 1, default 50000): listener maxconn when unset.
    public var defaultConnectionLimit: Int
    /// `timeout_client_data` (int ms ≥ 0, default 50000).
    public var timeoutClientData: Int
    /// `timeout_member_connect` (int ms ≥ 0, default 5000).
    public var timeoutMemberConnect: Int
    /// `timeout_member_data` (int ms ≥ 0, default 50000).
    public var timeoutMemberData: Int
    /// `timeout_tcp_inspect` (int ms ≥ 0, default 0).
    public var timeoutTCPInspect: Int
    /// `connection_max_retries` (int ≥ 0, default 120): agent connection attempts.
    public var connectionMaxRetries: Int
    /// `connection_retry_interval` (int s ≥ 0, default 5).
    public var connectionRetryInterval: Int
    /// `rest_request_conn_timeout` (float s, default 10.0).
    public var restRequestConnTimeout: Double
    /// `rest_request_read_timeout` (float s, default 60.0).
    public var restRequestReadTimeout: Double
    /// `haproxy_stick_size` (string, default 10k): stick-table size.
    public var haproxyStickSize: String
    /// `connection_logging` (bool, default true): log each client connection.
    public var connectionLogging: Bool
    /// `build_rate_limit` (int, default -1 = unlimited): amphora builds per minute.
    public var buildRateLimit: Int

    public enum Option {
        public static let basePath: ConfigOption<String> = .string(
            "base_path", default: "/var/lib/octavia", help: "Base directory for amphora files.")
        public static let haproxyCmd: ConfigOption<String> = .string(
            "haproxy_cmd", default: "/usr/sbin/haproxy", help: "The full path to the haproxy binary.")
        public static let bindHost: ConfigOption<String> = .string(
            "bind_host", default: "::", help: "The host IP the amphora agent binds to.",
            validate: ConfigValueParsing.hostAddressReason)
        public static let bindPort: ConfigOption<Int> = .port(
            "bind_port", default: 9443, help: "The port the amphora agent binds to.")
        public static let defaultConnectionLimit: ConfigOption<Int> = .integer(
            "default_connection_limit", default: 50000, min: 1,
            help: "Default connection_limit for listeners, used when a listener sets -1 or none.")
        public static let timeoutClientData: ConfigOption<Int> = .integer(
            "timeout_client_data", default: 50000, min: 0, help: "Frontend client inactivity timeout in milliseconds.")
        public static let timeoutMemberConnect: ConfigOption<Int> = .integer(
            "timeout_member_connect", default: 5000, min: 0, help: "Backend member connection timeout in milliseconds.")
        public static let timeoutMemberData: ConfigOption<Int> = .integer(
            "timeout_member_data", default: 50000, min: 0, help: "Backend member inactivity timeout in milliseconds.")
        public static let timeoutTCPInspect: ConfigOption<Int> = .integer(
            "timeout_tcp_inspect", default: 0, min: 0,
            help: "Time in milliseconds to wait for additional TCP packets for content inspection.")
        public static let connectionMaxRetries: ConfigOption<Int> = .integer(
            "connection_max_retries", default: 120, min: 0, help: "Retry threshold for connecting to amphorae.")
        public static let connectionRetryInterval: ConfigOption<Int> = .integer(
            "connection_retry_interval", default: 5, min: 0, help: "Retry timeout between connection attempts in seconds.")
        public static let restRequestConnTimeout: ConfigOption<Double> = .float(
            "rest_request_conn_timeout", default: 10, min: 0,
            help: "The time in seconds to wait for a REST API connection to an amphora.")
        public static let restRequestReadTimeout: ConfigOption<Double> = .float(
            "rest_request_read_timeout", default: 60, min: 0,
            help: "The time in seconds to wait for a REST API response from an amphora.")
        public static let haproxyStickSize: ConfigOption<String> = .string(
            "haproxy_stick_size", default: "10k",
            help: "The size of the HAProxy stick table. Accepts k, m, g suffixes.",
            validate: { text in
                let digits = text.last.map { "kmgKMG".contains($0) } == true ? text.dropLast() : Substring(text)
                return !digits.isEmpty && digits.allSatisfy(\.isNumber) ? nil : "'\(text)' is not a size like 10k"
            })
        public static let connectionLogging: ConfigOption<Bool> = .bool(
            "connection_logging", default: true, help: "Log every client connection to the listeners.")
        public static let buildRateLimit: ConfigOption<Int> = .integer(
            "build_rate_limit", default: -1, min: -1,
            help: "Number of amphorae that could be built per controller worker, simultaneously. -1 means no limit.")
    }

    public static let sectionName = "haproxy_amphora"
    public static let sectionHelp = "HAProxy inside amphorae, and the controller's connections to amphora agents."
    public static let options = [
        Option.basePath.descriptor, Option.haproxyCmd.descriptor, Option.bindHost.descriptor,
        Option.bindPort.descriptor, Option.defaultConnectionLimit.descriptor, Option.timeoutClientData.descriptor,
        Option.timeoutMemberConnect.descriptor, Option.timeoutMemberData.descriptor,
        Option.timeoutTCPInspect.descriptor, Option.connectionMaxRetries.descriptor,
        Option.connectionRetryInterval.descriptor, Option.restRequestConnTimeout.descriptor,
        Option.restRequestReadTimeout.descriptor, Option.haproxyStickSize.descriptor,
        Option.connectionLogging.descriptor, Option.buildRateLimit.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        basePath = try reader(Option.basePath)
        haproxyCmd = try reader(Option.haproxyCmd)
        bindHost = try reader(Option.bindHost)
        bindPort = try reader(Option.bindPort)
        defaultConnectionLimit = try reader(Option.defaultConnectionLimit)
        timeoutClientData = try reader(Option.timeoutClientData)
        timeoutMemberConnect = try reader(Option.timeoutMemberConnect)
        timeoutMemberData = try reader(Option.timeoutMemberData)
        timeoutTCPInspect = try reader(Option.timeoutTCPInspect)
        connectionMaxRetries = try reader(Option.connectionMaxRetries)
        connectionRetryInterval = try reader(Option.connectionRetryInterval)
        restRequestConnTimeout = try reader(Option.restRequestConnTimeout)
        restRequestReadTimeout = try reader(Option.restRequestReadTimeout)
        haproxyStickSize = try reader(Option.haproxyStickSize)
        connectionLogging = try reader(Option.connectionLogging)
        buildRateLimit = try reader(Option.buildRateLimit)
    }
}
