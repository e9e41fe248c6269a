import Foundation

public struct Listener: Codable, Sendable, Equatable {
    public typealias ID = Identifier<Listener>

    public var id: ID
    public var projectID: ProjectID
    public var loadBalancerID: LoadBalancer.ID
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var `protocol`: ListenerProtocol
    public var protocolPort: Int
    /// -1 means unlimited.
    public var connectionLimit: Int
    public var defaultPoolID: Pool.ID?
    /// Milliseconds.
    public var timeoutClientData: Int
    public var timeoutMemberConnect: Int
    public var timeoutMemberData: Int
    public var timeoutTCPInspect: Int
    public var insertHeaders: JSONColumn<[String: String]>
    /// nil when the listener has no allow-list (the API renders `null`).
    public var allowedCIDRs: JSONColumn<[String]>?
    public var tags: JSONColumn<[String]>
    /// Certificate-manager reference of the default certificate (TERMINATED_HTTPS).
    public var defaultTLSContainerRef: String?
    /// References of the SNI certificates, in the order the user gave.
    public var sniContainerRefs: JSONColumn<[String]>
    public var clientCATLSContainerRef: String?
    public var clientAuthentication: ClientAuthentication
    public var clientCRLContainerRef: String?
    /// `:`-separated OpenSSL cipher string; nil unless the listener terminates TLS.
    public var tlsCiphers: String?
    public var tlsVersions: JSONColumn<[String]>?
    public var alpnProtocols: JSONColumn<[String]>?
    public var hstsMaxAge: Int?
    public var hstsIncludeSubdomains: Bool
    public var hstsPreload: Bool
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, loadBalancerID: LoadBalancer.ID, name: String? = nil,
        description: String? = nil, adminStateUp: Bool = true, provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline, protocol: ListenerProtocol, protocolPort: Int,
        connectionLimit: Int = -1, defaultPoolID: Pool.ID? = nil, timeoutClientData: Int = 50000,
        timeoutMemberConnect: Int = 5000, timeoutMemberData: Int = 50000, timeoutTCPInspect: Int = 0,
        insertHeaders: [String: String] = [:], allowedCIDRs: [String]? = nil, tags: [String] = [],
        createdAt: Date = Date(), updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.loadBalancerID = loadBalancerID; self.name = name
        self.description = description; self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.protocol = `protocol`; self.protocolPort = protocolPort
        self.connectionLimit = connectionLimit; self.defaultPoolID = defaultPoolID
        self.timeoutClientData = timeoutClientData; self.timeoutMemberConnect = timeoutMemberConnect
        self.timeoutMemberData = timeoutMemberData; self.timeoutTCPInspect = timeoutTCPInspect
        self.insertHeaders = JSONColumn(insertHeaders); self.allowedCIDRs = allowedCIDRs.map(JSONColumn.init)
        self.tags = JSONColumn(tags); self.createdAt = createdAt; self.updatedAt = updatedAt
        self.defaultTLSContainerRef = nil; self.sniContainerRefs = JSONColumn([])
        self.clientCATLSContainerRef = nil; self.clientAuthentication = .none; self.clientCRLContainerRef = nil
        self.tlsCiphers = nil; self.tlsVersions = nil; self.alpnProtocols = nil
        self.hstsMaxAge = nil; self.hstsIncludeSubdomains = false; self.hstsPreload = false
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, `protocol`, tags
        case projectID = "project_id", loadBalancerID = "load_balancer_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case protocolPort = "protocol_port", connectionLimit = "connection_limit", defaultPoolID = "default_pool_id"
        case timeoutClientData = "timeout_client_data", timeoutMemberConnect = "timeout_member_connect"
        case timeoutMemberData = "timeout_member_data", timeoutTCPInspect = "timeout_tcp_inspect"
        case insertHeaders = "insert_headers", allowedCIDRs = "allowed_cidrs"
        case createdAt = "created_at", updatedAt = "updated_at"
        case defaultTLSContainerRef = "default_tls_container_ref", sniContainerRefs = "sni_container_refs"
        case clientCATLSContainerRef = "client_ca_tls_container_ref", clientAuthentication = "client_authentication"
        case clientCRLContainerRef = "client_crl_container_ref", tlsCiphers = "tls_ciphers"
        case tlsVersions = "tls_versions", alpnProtocols = "alpn_protocols", hstsMaxAge = "hsts_max_age"
        case hstsIncludeSubdomains = "hsts_include_subdomains", hstsPreload = "hsts_preload"
    }
}
