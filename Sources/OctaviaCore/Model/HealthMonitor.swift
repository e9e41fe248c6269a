import Foundation

public struct HealthMonitor: Codable, Sendable, Equatable {
    public typealias ID = Identifier<HealthMonitor>

    public var id: ID
    public var projectID: ProjectID
    public var poolID: Pool.ID
    public var name: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var type: HealthMonitorType
    /// Seconds between checks.
    public var delay: Int
    /// Seconds a check may take.
    public var timeout: Int
    /// Successes to bring a member up (HAProxy `rise`).
    public var maxRetries: Int
    /// Failures to take a member down (HAProxy `fall`).
    public var maxRetriesDown: Int
    public var httpMethod: HTTPMethodName?
    public var urlPath: String?
    public var expectedCodes: String?
    public var httpVersion: Double?
    public var domainName: String?
    public var tags: JSONColumn<[String]>
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, poolID: Pool.ID, name: String? = nil, adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate, operatingStatus: OperatingStatus = .offline,
        type: HealthMonitorType, delay: Int, timeout: Int, maxRetries: Int, maxRetriesDown: Int = 3,
        httpMethod: HTTPMethodName? = nil, urlPath: String? = nil, expectedCodes: String? = nil,
        httpVersion: Double? = nil, domainName: String? = nil, tags: [String] = [], createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.poolID = poolID; self.name = name
        self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.type = type; self.delay = delay; self.timeout = timeout
        self.maxRetries = maxRetries; self.maxRetriesDown = maxRetriesDown; self.httpMethod = httpMethod
        self.urlPath = urlPath; self.expectedCodes = expectedCodes; self.httpVersion = httpVersion
        self.domainName = domainName; self.tags = JSONColumn(tags); self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, delay, timeout, tags
        case projectID = "project_id", poolID = "pool_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case maxRetries = "max_retries", maxRetriesDown = "max_retries_down", httpMethod = "http_method"
        case urlPath = "url_path", expectedCodes = "expected_codes", httpVersion = "http_version"
        case domainName = "domain_name", createdAt = "created_at", updatedAt = "updated_at"
    }
}
