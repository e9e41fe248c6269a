import Foundation

/// Everything octavia.conf configures, one typed struct per section. Built by ``load(path:)`` or
/// ``parse(_:path:)`` and passed to whoever needs it; there is no global config.
public struct OctaviaSettings: Sendable, Equatable {
    /// `[DEFAULT]`
    public var defaults: DefaultSettings
    /// `[api_settings]`
    public var api: APISettings
    /// `[database]`
    public var database: DatabaseSettings
    /// `[controller_worker]`
    public var controllerWorker: ControllerWorkerSettings
    /// `[haproxy_amphora]`
    public var haproxyAmphora: HAProxyAmphoraSettings
    /// `[health_manager]`
    public var healthManager: HealthManagerSettings
    /// `[house_keeping]`
    public var houseKeeping: HouseKeepingSettings
    /// `[certificates]`
    public var certificates: CertificateSettings
    /// `[networking]`
    public var networking: NetworkingSettings
    /// `[quotas]`
    public var quotas: QuotaSettings
    /// `[keystone_authtoken]`
    public var keystoneAuthToken: KeystoneAuthTokenSettings
    /// `[oslo_policy]`
    public var osloPolicy: OsloPolicySettings
    /// `[noauth]` (ours)
    public var noauth: NoAuthSettings
    /// `[job_queue]` (ours)
    public var jobQueue: JobQueueSettings
    /// `[local_compute]` (ours)
    public var localCompute: LocalComputeSettings
    /// `[local_networking]` (ours) and every `[local_network:<name>]` section.
    public var localNetworking: LocalNetworkingSettings
    /// `[driver_agent]`
    public var driverAgent: DriverAgentSettings
    /// `[metrics]` (ours)
    public var metrics: MetricsSettings

    /// Every fixed section, in sample order: the registry of sections and their options.
    public static let sections: [any SettingsSection.Type] = [
        DefaultSettings.self, APISettings.self, DatabaseSettings.self, ControllerWorkerSettings.self,
        HAProxyAmphoraSettings.self, HealthManagerSettings.self, HouseKeepingSettings.self,
        CertificateSettings.self, NetworkingSettings.self, QuotaSettings.self, KeystoneAuthTokenSettings.self,
        OsloPolicySettings.self, NoAuthSettings.self,
        JobQueueSettings.self, LocalComputeSettings.self, LocalNetworkingSettings.self,
        DriverAgentSettings.self, MetricsSettings.self,
    ]

    /// All defaults and no local networks: what an empty file means.
    public init() {
        defaults = DefaultSettings()
        api = APISettings()
        database = DatabaseSettings()
        controllerWorker = ControllerWorkerSettings()
        haproxyAmphora = HAProxyAmphoraSettings()
        healthManager = HealthManagerSettings()
        houseKeeping = HouseKeepingSettings()
        certificates = CertificateSettings()
        networking = NetworkingSettings()
        quotas = QuotaSettings()
        keystoneAuthToken = KeystoneAuthTokenSettings()
        osloPolicy = OsloPolicySettings()
        noauth = NoAuthSettings()
        jobQueue = JobQueueSettings()
        localCompute = LocalComputeSettings()
        localNetworking = LocalNetworkingSettings()
        driverAgent = DriverAgentSettings()
        metrics = MetricsSettings()
    }

    /// Reads and parses the file at `path`.
    /// - Throws: ``ConfigError`` naming `path` when it cannot be read or is invalid.
    public static func load(path: String) throws -> OctaviaSettings {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path)
                ? "cannot read configuration file" : "configuration file does not exist"
            throw ConfigError(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, reason: "configuration file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses octavia.conf text. Unknown sections and options are errors, so typos do not pass silently.
    /// - Parameters:
    ///   - text: the INI text.
    ///   - path: where it came from, used in error messages.
    /// - Throws: ``ConfigError``.
    public static func parse(_ text: String, path: String) throws -> OctaviaSettings {
        let file: INIFile
        do {
            file = try INIFile.parse(text, path: path)
        } catch let error as INIFile.ParseError {
            throw ConfigError(path: error.path, line: error.line, reason: error.reason)
        }
        try checkNames(file)
        func reader(_ name: String) -> SectionReader {
            SectionReader(path: path, sectionName: name, section: file.section(name))
        }
        var settings = OctaviaSettings()
        settings.defaults = try DefaultSettings(reader: reader(DefaultSettings.sectionName))
        settings.api = try APISettings(reader: reader(APISettings.sectionName))
        settings.database = try DatabaseSettings(reader: reader(DatabaseSettings.sectionName))
        settings.controllerWorker = try ControllerWorkerSettings(reader: reader(ControllerWorkerSettings.sectionName))
        settings.haproxyAmphora = try HAProxyAmphoraSettings(reader: reader(HAProxyAmphoraSettings.sectionName))
        settings.healthManager = try HealthManagerSettings(reader: reader(HealthManagerSettings.sectionName))
        settings.houseKeeping = try HouseKeepingSettings(reader: reader(HouseKeepingSettings.sectionName))
        settings.certificates = try CertificateSettings(reader: reader(CertificateSettings.sectionName))
        settings.networking = try NetworkingSettings(reader: reader(NetworkingSettings.sectionName))
        settings.quotas = try QuotaSettings(reader: reader(QuotaSettings.sectionName))
        settings.keystoneAuthToken = try KeystoneAuthTokenSettings(reader: reader(KeystoneAuthTokenSettings.sectionName))
        settings.osloPolicy = try OsloPolicySettings(reader: reader(OsloPolicySettings.sectionName))
        settings.noauth = try NoAuthSettings(reader: reader(NoAuthSettings.sectionName))
        settings.jobQueue = try JobQueueSettings(reader: reader(JobQueueSettings.sectionName))
        settings.localCompute = try LocalComputeSettings(reader: reader(LocalComputeSettings.sectionName))
        settings.localNetworking = try LocalNetworkingSettings(reader: reader(LocalNetworkingSettings.sectionName))
        settings.localNetworking.networks = try localNetworks(in: file)
        settings.driverAgent = try DriverAgentSettings(reader: reader(DriverAgentSettings.sectionName))
        settings.metrics = try MetricsSettings(reader: reader(MetricsSettings.sectionName))
        return settings
    }

    /// Rejects sections and options that no declaration knows, in file order.
    static func checkNames(_ file: INIFile) throws(ConfigError) {
        let known = Dictionary(uniqueKeysWithValues: sections.map { ($0.sectionName, Set($0.options.map(\.name))) })
        let localNetworkOptions = Set(LocalNetworkSettings.options.map(\.name))
        for section in file.sections.sorted(by: { $0.line < $1.line }) {
            let names: Set<String>
            if let options = known[section.name] {
                names = options
            } else if section.name.hasPrefix(LocalNetworkSettings.sectionPrefix) {
                names = localNetworkOptions
            } else {
                throw ConfigError(path: file.path, line: section.line, reason: "unknown section [\(section.name)]")
            }
            for entry in section.entries where !names.contains(entry.key) {
                throw ConfigError(
                    path: file.path, line: entry.line, section: section.name, reason: "unknown option '\(entry.key)'")
            }
        }
    }

    /// Reads every `[local_network:<name>]` section and checks them against each other.
    static func localNetworks(in file: INIFile) throws(ConfigError) -> [LocalNetworkSettings] {
        var networks: [LocalNetworkSettings] = []
        for section in file.sections where section.name.hasPrefix(LocalNetworkSettings.sectionPrefix) {
            let name = String(section.name.dropFirst(LocalNetworkSettings.sectionPrefix.count)).trimmingWhitespace()
            let reader = SectionReader(path: file.path, sectionName: section.name, section: section)
            let network = try LocalNetworkSettings(name: name, reader: reader)
            for other in networks {
                if other.networkID == network.networkID {
                    throw reader.error(
                        option: LocalNetworkSettings.Option.networkID.name,
                        reason: "\(network.networkID) is already used by [local_network:\(other.name)]")
                }
                if other.subnetID == network.subnetID {
                    throw reader.error(
                        option: LocalNetworkSettings.Option.subnetID.name,
                        reason: "\(network.subnetID) is already used by [local_network:\(other.name)]")
                }
                if other.cidr.overlaps(network.cidr) {
                    throw reader.error(
                        option: LocalNetworkSettings.Option.cidr.name,
                        reason: "\(network.cidr) overlaps \(other.cidr) of [local_network:\(other.name)]")
                }
            }
            networks.append(network)
        }
        return networks
    }
}
