import Foundation

/// What an L7 policy does with a request whose rules all match.
public enum L7PolicyAction: String, Codable, Sendable, CaseIterable {
    case reject = "REJECT"
    case redirectToURL = "REDIRECT_TO_URL"
    case redirectToPool = "REDIRECT_TO_POOL"
    case redirectPrefix = "REDIRECT_PREFIX"
}

/// HTTP codes a redirecting policy may answer with.
public enum L7RedirectHTTPCode: Int, Codable, Sendable, CaseIterable {
    case movedPermanently = 301, found = 302, seeOther = 303, temporaryRedirect = 307, permanentRedirect = 308
}

/// An ordered request-routing policy on an HTTP listener (Octavia's `l7policy` table).
public struct L7Policy: Codable, Sendable, Equatable {
    public typealias ID = Identifier<L7Policy>

    /// Octavia's MIN/MAX_POLICY_POSITION; the maximum means "append".
    public static let positionRange = 1...2_147_483_647
    /// Octavia's MAX_L7RULES_PER_L7POLICY (HAProxy fails to parse much more).
    public static let maximumRules = 50

    public var id: ID
    public var projectID: ProjectID
    public var listenerID: Listener.ID
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var action: L7PolicyAction
    public var redirectPoolID: Pool.ID?
    public var redirectURL: String?
    public var redirectPrefix: String?
    public var redirectHTTPCode: Int?
    /// 1-based and contiguous among the listener's policies.
    public var position: Int
    public var tags: JSONColumn<[String]>
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, listenerID: Listener.ID, name: String? = nil,
        description: String? = nil, adminStateUp: Bool = true, provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline, action: L7PolicyAction, redirectPoolID: Pool.ID? = nil,
        redirectURL: String? = nil, redirectPrefix: String? = nil, redirectHTTPCode: Int? = nil, position: Int = 1,
        tags: [String] = [], createdAt: Date = Date(), updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.listenerID = listenerID; self.name = name
        self.description = description; self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.action = action; self.redirectPoolID = redirectPoolID
        self.redirectURL = redirectURL; self.redirectPrefix = redirectPrefix; self.redirectHTTPCode = redirectHTTPCode
        self.position = position; self.tags = JSONColumn(tags); self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, action, position, tags
        case projectID = "project_id", listenerID = "listener_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case redirectPoolID = "redirect_pool_id", redirectURL = "redirect_url", redirectPrefix = "redirect_prefix"
        case redirectHTTPCode = "redirect_http_code", createdAt = "created_at", updatedAt = "updated_at"
    }
}

extension L7Policy: StoredObject {
    public static let table = "l7policy"
    public var storageID: String { id.rawValue }
}
