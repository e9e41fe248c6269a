/// `[metrics]` (ours): the Prometheus endpoint (`GET /metrics`) each daemon serves. Octavia has no
/// such section; every port defaults to 0 (disabled) so nothing listens unless asked.
public struct MetricsSettings: SettingsSection {
    /// `bind_host` (host address, default 127.0.0.1): address the metrics endpoints bind to.
    public var bindHost: String
    /// `api_port` (int 0-65535, default 0): metrics port of `octavia api`.
    public var apiPort: Int
    /// `worker_port` (int 0-65535, default 0): metrics port of `octavia worker`.
    public var workerPort: Int
    /// `health_manager_port` (int 0-65535, default 0): metrics port of `octavia health-manager`.
    public var healthManagerPort: Int
    /// `housekeeping_port` (int 0-65535, default 0): metrics port of `octavia housekeeping`.
    public var housekeepingPort: Int
    /// `driver_agent_port` (int 0-65535, default 0): metrics port of `octavia driver-agent`.
    public var driverAgentPort: Int
    /// `all_in_one_port` (int 0-65535, default 0): metrics port of `octavia all-in-one`.
    public var allInOnePort: Int

    public enum Option {
        public static let bindHost: ConfigOption<String> = .string(
            "bind_host", default: "127.0.0.1", help: "Address the Prometheus metrics endpoints (GET /metrics) bind to.",
            validate: ConfigValueParsing.hostAddressReason)
        public static let apiPort = port("api_port", "octavia api")
        public static let workerPort = port("worker_port", "octavia worker")
        public static let healthManagerPort = port("health_manager_port", "octavia health-manager")
        public static let housekeepingPort = port("housekeeping_port", "octavia housekeeping")
        public static let driverAgentPort = port("driver_agent_port", "octavia driver-agent")
        public static let allInOnePort = port("all_in_one_port", "octavia all-in-one")

        static func port(_ name: String, _ daemon: String) -> ConfigOption<Int> {
            .integer(name, default: 0, min: 0, max: 65535, help: "Metrics port of \(daemon); 0 disables its endpoint.")
        }
    }

    public static let sectionName = "metrics"
    public static let sectionHelp = "Swift Octavia only: Prometheus metrics endpoint of each daemon."
    public static let options = [
        Option.bindHost.descriptor, Option.apiPort.descriptor, Option.workerPort.descriptor,
        Option.healthManagerPort.descriptor, Option.housekeepingPort.descriptor, Option.driverAgentPort.descriptor,
        Option.allInOnePort.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        bindHost = try reader(Option.bindHost)
        apiPort = try reader(Option.apiPort)
        workerPort = try reader(Option.workerPort)
        healthManagerPort = try reader(Option.healthManagerPort)
        housekeepingPort = try reader(Option.housekeepingPort)
        driverAgentPort = try reader(Option.driverAgentPort)
        allInOnePort = try reader(Option.allInOnePort)
    }
}
