import Foundation

public struct SessionPersistence: Codable, Sendable, Equatable {
    public var type: SessionPersistenceType
    public var cookieName: String?
    public var persistenceTimeout: Int?
    public var persistenceGranularity: String?

    public init(type: SessionPersistenceType, cookieName: String? = nil, persistenceTimeout: Int? = nil,
                persistenceGranularity: String? = nil) {
        self.type = type; self.cookieName = cookieName
        self.persistenceTimeout = persistenceTimeout; self.persistenceGranularity = persistenceGranularity
    }

    enum CodingKeys: String, CodingKey {
        case type, cookieName = "cookie_name", persistenceTimeout = "persistence_timeout"
        case persistenceGranularity = "persistence_granularity"
    }
}

public struct Pool: Codable, Sendable, Equatable {
    public typealias ID = Identifier<Pool>

    public var id: ID
    public var projectID: ProjectID
    public var loadBalancerID: LoadBalancer.ID
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var `protocol`: PoolProtocol
    public var lbAlgorithm: LoadBalancingAlgorithm
    public var sessionPersistence: JSONColumn<SessionPersistence>?
    public var tags: JSONColumn<[String]>
    /// Re-encrypt traffic to members (HAProxy `ssl` on each server line).
    public var tlsEnabled: Bool
    /// Client certificate presented to members.
    public var tlsContainerRef: String?
    /// CA (and CRL) the members' certificates are verified against.
    public var caTLSContainerRef: String?
    public var crlContainerRef: String?
    public var tlsCiphers: String?
    public var tlsVersions: JSONColumn<[String]>?
    public var alpnProtocols: JSONColumn<[String]>?
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, loadBalancerID: LoadBalancer.ID, name: String? = nil,
        description: String? = nil, adminStateUp: Bool = true, provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline, protocol: PoolProtocol, lbAlgorithm: LoadBalancingAlgorithm,
        sessionPersistence: SessionPersistence? = nil, tags: [String] = [], createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.loadBalancerID = loadBalancerID; self.name = name
        self.description = description; self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.protocol = `protocol`; self.lbAlgorithm = lbAlgorithm
        self.sessionPersistence = sessionPersistence.map(JSONColumn.init); self.tags = JSONColumn(tags)
        self.createdAt = createdAt; self.updatedAt = updatedAt
        self.tlsEnabled = false; self.tlsContainerRef = nil; self.caTLSContainerRef = nil
        self.crlContainerRef = nil; self.tlsCiphers = nil; self.tlsVersions = nil; self.alpnProtocols = nil
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, `protocol`, tags
        case projectID = "project_id", loadBalancerID = "load_balancer_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case lbAlgorithm = "lb_algorithm", sessionPersistence = "session_persistence"
        case createdAt = "created_at", updatedAt = "updated_at"
        case tlsEnabled = "tls_enabled", tlsContainerRef = "tls_container_ref"
        case caTLSContainerRef = "ca_tls_container_ref", crlContainerRef = "crl_container_ref"
        case tlsCiphers = "tls_ciphers", tlsVersions = "tls_versions", alpnProtocols = "alpn_protocols"
    }
}
