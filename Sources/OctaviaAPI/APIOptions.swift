import OctaviaCore

/// Listener timeout defaults in milliseconds (`[haproxy_amphora] timeout_*`).
public typealias ListenerTimeoutDefaults = (
    timeoutClientData: Int, timeoutMemberConnect: Int, timeoutMemberData: Int, timeoutTCPInspect: Int
)

/// What the API needs from octavia.conf; the executable fills it. Defaults are Octavia's.
public struct APIOptions: Sendable {
    /// `[api_settings] pagination_max_limit`; nil = `infinite`.
    public var paginationMaxLimit: Int?
    /// `[api_settings] api_base_uri`: base of pagination links instead of the request URL.
    public var apiBaseURI: String?
    /// The project used in noauth mode when neither the body nor `X-Project-Id` names one.
    public var noauthDefaultProjectID: String
    /// `[api_settings] default_provider_driver`.
    public var defaultProviderDriver: String
    /// `[api_settings] enabled_provider_drivers`: name → description.
    public var enabledProviderDrivers: [String: String]
    /// `[controller_worker] loadbalancer_topology`.
    public var topology: Topology
    public var listenerDefaults: ListenerTimeoutDefaults
    /// `[networking] reserved_ips`: addresses members may not use.
    public var reservedIPs: [String]
    /// `[networking] allow_vip_network_id / allow_vip_subnet_id / allow_vip_port_id`.
    public var allowVIPNetworkID: Bool
    public var allowVIPSubnetID: Bool
    public var allowVIPPortID: Bool
    /// Whether creates check project quotas. Octavia skips quotas under `auth_strategy = noauth`
    /// (the only mode today), so this is false unless an authenticating mode turns it on.
    public var enforceQuotas = false
    /// `[quotas] default_*_quota`: limits for projects (or fields) without their own value.
    public var quotaDefaults = QuotaLimits.unlimited
    /// Keystone tokens and RBAC (`auth_strategy = keystone`); nil = noauth (everyone is admin).
    public var authentication: APIAuthentication?
    /// Listener and pool TLS: defaults, limits and the certificate manager.
    public var tls = APITLSOptions()

    public init(
        paginationMaxLimit: Int? = 1000,
        apiBaseURI: String? = nil,
        noauthDefaultProjectID: String = "admin",
        defaultProviderDriver: String = "amphora",
        enabledProviderDrivers: [String: String] = [
            "amphora": "The Octavia Amphora driver.",
            "octavia": "Deprecated alias of the Octavia Amphora driver.",
        ],
        topology: Topology = .single,
        listenerDefaults: ListenerTimeoutDefaults = (50000, 5000, 50000, 0),
        reservedIPs: [String] = ["169.254.169.254"],
        allowVIPNetworkID: Bool = true,
        allowVIPSubnetID: Bool = true,
        allowVIPPortID: Bool = true
    ) {
        self.paginationMaxLimit = paginationMaxLimit; self.apiBaseURI = apiBaseURI
        self.noauthDefaultProjectID = noauthDefaultProjectID; self.defaultProviderDriver = defaultProviderDriver
        self.enabledProviderDrivers = enabledProviderDrivers; self.topology = topology
        self.listenerDefaults = listenerDefaults; self.reservedIPs = reservedIPs
        self.allowVIPNetworkID = allowVIPNetworkID; self.allowVIPSubnetID = allowVIPSubnetID
        self.allowVIPPortID = allowVIPPortID
    }
}
