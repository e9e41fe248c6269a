/// `[driver_agent]`: the Unix sockets through which out-of-process provider drivers (octavia-lib's
/// `DriverLibrary`) report status and statistics and read objects.
public struct DriverAgentSettings: SettingsSection {
    /// `status_socket_path` (string, default /var/run/octavia/status.sock).
    public var statusSocketPath: String
    /// `stats_socket_path` (string, default /var/run/octavia/stats.sock).
    public var statsSocketPath: String
    /// `get_socket_path` (string, default /var/run/octavia/get.sock).
    public var getSocketPath: String
    /// `status_request_timeout` (int s ≥ 1, default 5): time a status request may take to arrive.
    public var statusRequestTimeout: Int
    /// `stats_request_timeout` (int s ≥ 1, default 5).
    public var statsRequestTimeout: Int
    /// `get_request_timeout` (int s ≥ 1, default 5).
    public var getRequestTimeout: Int
    /// `status_max_processes` (int ≥ 1, default 50): requests handled at once on the status socket.
    public var statusMaxProcesses: Int
    /// `stats_max_processes` (int ≥ 1, default 50).
    public var statsMaxProcesses: Int
    /// `get_max_processes` (int ≥ 1, default 50).
    public var getMaxProcesses: Int
    /// `max_process_warning_percent` (float, default 0.75): accepted for compatibility; unused.
    public var maxProcessWarningPercent: Double
    /// `provider_agent_shutdown_timeout` (int s, default 60): accepted for compatibility; unused.
    public var providerAgentShutdownTimeout: Int
    /// `enabled_provider_agents` (list, default []): accepted; provider agents are not launched.
    public var enabledProviderAgents: [String]

    public enum Option {
        public static let statusSocketPath: ConfigOption<String> = .string(
            "status_socket_path", default: "/var/run/octavia/status.sock", help: "Path to the driver status unix domain socket file.")
        public static let statsSocketPath: ConfigOption<String> = .string(
            "stats_socket_path", default: "/var/run/octavia/stats.sock", help: "Path to the driver statistics unix domain socket file.")
        public static let getSocketPath: ConfigOption<String> = .string(
            "get_socket_path", default: "/var/run/octavia/get.sock", help: "Path to the driver get unix domain socket file.")
        public static let statusRequestTimeout: ConfigOption<Int> = .integer(
            "status_request_timeout", default: 5, min: 1, help: "Time, in seconds, to wait for a status update request.")
        public static let statsRequestTimeout: ConfigOption<Int> = .integer(
            "stats_request_timeout", default: 5, min: 1, help: "Time, in seconds, to wait for a statistics update request.")
        public static let getRequestTimeout: ConfigOption<Int> = .integer(
            "get_request_timeout", default: 5, min: 1, help: "Time, in seconds, to wait for a driver get request.")
        public static let statusMaxProcesses: ConfigOption<Int> = .integer(
            "status_max_processes", default: 50, min: 1, help: "Maximum number of status requests handled at once.")
        public static let statsMaxProcesses: ConfigOption<Int> = .integer(
            "stats_max_processes", default: 50, min: 1, help: "Maximum number of statistics requests handled at once.")
        public static let getMaxProcesses: ConfigOption<Int> = .integer(
            "get_max_processes", default: 50, min: 1, help: "Maximum number of get requests handled at once.")
        public static let maxProcessWarningPercent: ConfigOption<Double> = .float(
            "max_process_warning_percent", default: 0.75, min: 0,
            help: "Percentage of max_processes (both status and stats) in use to start logging warning messages "
                + "about an overloaded driver-agent. Accepted for compatibility; unused.")
        public static let providerAgentShutdownTimeout: ConfigOption<Int> = .integer(
            "provider_agent_shutdown_timeout", default: 60, min: 0,
            help: "The time, in seconds, to wait for provider agents to shutdown after the exit event has been set. "
                + "Accepted for compatibility; provider agents are not launched.")
        public static let enabledProviderAgents: ConfigOption<[String]> = .list(
            "enabled_provider_agents", default: [],
            help: "List of enabled provider agents. Accepted for compatibility; provider agents are not launched.")
    }

    public static let sectionName = "driver_agent"
    public static let sectionHelp = "The driver agent: status, statistics and get sockets for provider drivers."
    public static let options = [
        Option.statusSocketPath.descriptor, Option.statsSocketPath.descriptor, Option.getSocketPath.descriptor,
        Option.statusRequestTimeout.descriptor, Option.statsRequestTimeout.descriptor, Option.getRequestTimeout.descriptor,
        Option.statusMaxProcesses.descriptor, Option.statsMaxProcesses.descriptor, Option.getMaxProcesses.descriptor,
        Option.maxProcessWarningPercent.descriptor, Option.providerAgentShutdownTimeout.descriptor,
        Option.enabledProviderAgents.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        statusSocketPath = try reader(Option.statusSocketPath)
        statsSocketPath = try reader(Option.statsSocketPath)
        getSocketPath = try reader(Option.getSocketPath)
        statusRequestTimeout = try reader(Option.statusRequestTimeout)
        statsRequestTimeout = try reader(Option.statsRequestTimeout)
        getRequestTimeout = try reader(Option.getRequestTimeout)
        statusMaxProcesses = try reader(Option.statusMaxProcesses)
        statsMaxProcesses = try reader(Option.statsMaxProcesses)
        getMaxProcesses = try reader(Option.getMaxProcesses)
        maxProcessWarningPercent = try reader(Option.maxProcessWarningPercent)
        providerAgentShutdownTimeout = try reader(Option.providerAgentShutdownTimeout)
        enabledProviderAgents = try reader(Option.enabledProviderAgents)
    }
}
