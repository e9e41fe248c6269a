import Foundation

/// What part of the request an L7 rule looks at.
public enum L7RuleType: String, Codable, Sendable, CaseIterable {
    case hostName = "HOST_NAME"
    case path = "PATH"
    case fileType = "FILE_TYPE"
    case header = "HEADER"
    case cookie = "COOKIE"
    case sslConnHasCert = "SSL_CONN_HAS_CERT"
    case sslVerifyResult = "SSL_VERIFY_RESULT"
    case sslDNField = "SSL_DN_FIELD"
}

/// How an L7 rule compares the request part with its value.
public enum L7RuleCompareType: String, Codable, Sendable, CaseIterable {
    case regex = "REGEX"
    case startsWith = "STARTS_WITH"
    case endsWith = "ENDS_WITH"
    case contains = "CONTAINS"
    case equalTo = "EQUAL_TO"
}

/// One condition of an L7 policy; a policy matches when all its enabled rules match (Octavia's `l7rule` table).
public struct L7Rule: Codable, Sendable, Equatable {
    public typealias ID = Identifier<L7Rule>

    public var id: ID
    public var projectID: ProjectID
    public var l7PolicyID: L7Policy.ID
    public var type: L7RuleType
    public var compareType: L7RuleCompareType
    /// Header/cookie name or DN field; nil for the types that take none.
    public var key: String?
    public var value: String
    public var invert: Bool
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var tags: JSONColumn<[String]>
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, l7PolicyID: L7Policy.ID, type: L7RuleType,
        compareType: L7RuleCompareType, key: String? = nil, value: String, invert: Bool = false,
        adminStateUp: Bool = true, provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline, tags: [String] = [], createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.l7PolicyID = l7PolicyID; self.type = type
        self.compareType = compareType; self.key = key; self.value = value; self.invert = invert
        self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.tags = JSONColumn(tags); self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, type, key, value, invert, tags
        case projectID = "project_id", l7PolicyID = "l7policy_id", compareType = "compare_type"
        case adminStateUp = "admin_state_up", provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status", createdAt = "created_at", updatedAt = "updated_at"
    }
}

extension L7Rule: StoredObject {
    public static let table = "l7rule"
    public var storageID: String { id.rawValue }
}
