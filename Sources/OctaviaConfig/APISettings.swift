/// `[api_settings]`: the v2 REST API.
public struct APISettings: SettingsSection {
    /// How API requests are authenticated.
    public enum AuthStrategy: String, Sendable, CaseIterable {
        case keystone, noauth, testing
    }

    /// The largest page a list request may ask for.
    public enum PaginationLimit: Sendable, Equatable {
        case limited(Int)
        /// `infinite`: no limit.
        case infinite
    }

    /// `bind_host` (host address, default 127.0.0.1): address the API listens on.
    public var bindHost: String
    /// `bind_port` (port, default 9876): port the API listens on.
    public var bindPort: Int
    /// `auth_strategy` (keystone|noauth|testing, default noauth). Octavia defaults to keystone;
    /// we default to noauth so a file without `[keystone_authtoken]` still starts. `testing` is refused.
    public var authStrategy: AuthStrategy
    /// `allow_pagination` (bool, default true).
    public var allowPagination: Bool
    /// `allow_sorting` (bool, default true).
    public var allowSorting: Bool
    /// `allow_filtering` (bool, default true).
    public var allowFiltering: Bool
    /// `allow_field_selection` (bool, default true).
    public var allowFieldSelection: Bool
    /// `pagination_max_limit` (int or `infinite`, default 1000).
    public var paginationMaxLimit: PaginationLimit
    /// `api_base_uri` (string, optional): base URL for links in responses; unset uses the request's host.
    public var apiBaseURI: String?
    /// `default_provider_driver` (string, default amphora).
    public var defaultProviderDriver: String
    /// `enabled_provider_drivers` (dict name:description, default amphora and octavia).
    public var enabledProviderDrivers: [String: String]
    /// `allow_tls_terminated_listeners` (bool, default true).
    public var allowTLSTerminatedListeners: Bool
    /// `allow_ping_health_monitors` (bool, default true).
    public var allowPingHealthMonitors: Bool
    /// `allow_prometheus_listeners` (bool, default true).
    public var allowPrometheusListeners: Bool
    /// `healthcheck_enabled` (bool, default false): serve `/healthcheck`.
    public var healthcheckEnabled: Bool
    /// TLS defaults and limits for listeners and pools (`default_*_ciphers`, `tls_cipher_prohibit_list`, ...).
    public var tls: APITLSSettings

    public enum Option {
        public static let bindHost: ConfigOption<String> = .string(
            "bind_host", default: "127.0.0.1", help: "The host IP to bind to.",
            validate: ConfigValueParsing.hostAddressReason)
        public static let bindPort: ConfigOption<Int> = .port("bind_port", default: 9876, help: "The port to bind to.")
        public static let authStrategy: ConfigOption<AuthStrategy> = .choice(
            "auth_strategy", default: .noauth,
            help: "The auth strategy for API requests. Octavia's default is keystone; ours is noauth so a "
                + "file without [keystone_authtoken] still starts. keystone needs [keystone_authtoken]; "
                + "testing is not supported.")
        public static let allowPagination: ConfigOption<Bool> = .bool(
            "allow_pagination", default: true, help: "Allow the usage of pagination.")
        public static let allowSorting: ConfigOption<Bool> = .bool(
            "allow_sorting", default: true, help: "Allow the usage of sorting.")
        public static let allowFiltering: ConfigOption<Bool> = .bool(
            "allow_filtering", default: true, help: "Allow the usage of filtering.")
        public static let allowFieldSelection: ConfigOption<Bool> = .bool(
            "allow_field_selection", default: true, help: "Allow the usage of field selection.")
        public static let paginationMaxLimit: ConfigOption<PaginationLimit> = .custom(
            "pagination_max_limit", typeName: "string value", default: .limited(1000), defaultText: "1000",
            help: "The maximum number of items returned in a single response. The string 'infinite' "
                + "means no limit.",
            convert: { text in
                if text.lowercased() == "infinite" { return .success(.infinite) }
                guard let limit = Int(text), limit > 0 else {
                    return .failure(ConversionFailure("'\(text)' is not a positive integer or 'infinite'"))
                }
                return .success(.limited(limit))
            })
        public static let apiBaseURI: ConfigOption<String?> = .optionalString(
            "api_base_uri",
            help: "Base URI for the API in links returned to clients (for example behind a proxy). "
                + "When unset, the request's host URL is used.")
        public static let defaultProviderDriver: ConfigOption<String> = .string(
            "default_provider_driver", default: "amphora",
            help: "Default provider driver for load balancers that name none.")
        public static let enabledProviderDrivers: ConfigOption<[String: String]> = .dict(
            "enabled_provider_drivers",
            default: [
                "amphora": "The Octavia Amphora driver.",
                "octavia": "Deprecated alias of the Octavia Amphora driver.",
            ],
            help: "A comma separated list of name:description pairs of the enabled provider drivers.")
        public static let allowTLSTerminatedListeners: ConfigOption<Bool> = .bool(
            "allow_tls_terminated_listeners", default: true, help: "Allow users to create TLS terminated listeners.")
        public static let allowPingHealthMonitors: ConfigOption<Bool> = .bool(
            "allow_ping_health_monitors", default: true, help: "Allow users to create PING type health monitors.")
        public static let allowPrometheusListeners: ConfigOption<Bool> = .bool(
            "allow_prometheus_listeners", default: true, help: "Allow users to create PROMETHEUS type listeners.")
        public static let healthcheckEnabled: ConfigOption<Bool> = .bool(
            "healthcheck_enabled", default: false, help: "Serve the /healthcheck endpoint.")
    }

    public static let sectionName = "api_settings"
    public static let sectionHelp = "The Octavia v2 REST API."
    public static let options = [
        Option.bindHost.descriptor, Option.bindPort.descriptor, Option.authStrategy.descriptor,
        Option.allowPagination.descriptor, Option.allowSorting.descriptor, Option.allowFiltering.descriptor,
        Option.allowFieldSelection.descriptor, Option.paginationMaxLimit.descriptor, Option.apiBaseURI.descriptor,
        Option.defaultProviderDriver.descriptor, Option.enabledProviderDrivers.descriptor,
        Option.allowTLSTerminatedListeners.descriptor, Option.allowPingHealthMonitors.descriptor,
        Option.allowPrometheusListeners.descriptor, Option.healthcheckEnabled.descriptor,
    ] + APITLSSettings.options

    public init(reader: SectionReader) throws(ConfigError) {
        bindHost = try reader(Option.bindHost)
        bindPort = try reader(Option.bindPort)
        authStrategy = try reader(Option.authStrategy)
        allowPagination = try reader(Option.allowPagination)
        allowSorting = try reader(Option.allowSorting)
        allowFiltering = try reader(Option.allowFiltering)
        allowFieldSelection = try reader(Option.allowFieldSelection)
        paginationMaxLimit = try reader(Option.paginationMaxLimit)
        apiBaseURI = try reader(Option.apiBaseURI)
        defaultProviderDriver = try reader(Option.defaultProviderDriver)
        enabledProviderDrivers = try reader(Option.enabledProviderDrivers)
        allowTLSTerminatedListeners = try reader(Option.allowTLSTerminatedListeners)
        allowPingHealthMonitors = try reader(Option.allowPingHealthMonitors)
        allowPrometheusListeners = try reader(Option.allowPrometheusListeners)
        healthcheckEnabled = try reader(Option.healthcheckEnabled)
        tls = try APITLSSettings(reader: reader)
        guard enabledProviderDrivers[defaultProviderDriver] != nil else {
            throw reader.error(
                option: Option.defaultProviderDriver.name,
                reason: "'\(defaultProviderDriver)' is not in enabled_provider_drivers")
        }
    }
}
