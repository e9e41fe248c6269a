/// Who is making a request: what a validated Keystone token says (oslo.context's
/// `to_policy_values()` plus Octavia's `is_admin`).
public struct Credentials: Sendable, Equatable {
    public var userID: String?
    public var userName: String?
    public var userDomainID: String?
    /// The token's project; nil for an unscoped (or domain/system-scoped) token.
    public var projectID: String?
    public var projectName: String?
    public var projectDomainID: String?
    /// Role names as Keystone returns them (implied roles included).
    public var roles: [String]
    /// `all` for a system-scoped token.
    public var systemScope: String?
    /// Octavia's context admin flag: `context_is_admin` passes (or auth is off). Set by
    /// ``PolicyEnforcer/credentialsWithAdminFlag(_:)``.
    public var isAdmin: Bool

    public init(
        userID: String? = nil, userName: String? = nil, userDomainID: String? = nil, projectID: String? = nil,
        projectName: String? = nil, projectDomainID: String? = nil, roles: [String] = [], systemScope: String? = nil,
        isAdmin: Bool = false
    ) {
        self.userID = userID; self.userName = userName; self.userDomainID = userDomainID
        self.projectID = projectID; self.projectName = projectName; self.projectDomainID = projectDomainID
        self.roles = roles; self.systemScope = systemScope; self.isAdmin = isAdmin
    }

    /// The values a generic check `<kind>:<match>` compares, rendered as Python's `str()` would
    /// (`True`/`False` for booleans); nil when the credential has no such key.
    public func values(for kind: String) -> [String]? {
        switch kind {
        case "user_id": userID.map { [$0] }
        case "user_name", "username": userName.map { [$0] }
        case "user_domain_id": userDomainID.map { [$0] }
        case "project_id", "tenant_id", "tenant": projectID.map { [$0] }
        case "project_name": projectName.map { [$0] }
        case "project_domain_id": projectDomainID.map { [$0] }
        case "roles": roles
        case "system_scope": systemScope.map { [$0] }
        case "is_admin": [isAdmin ? "True" : "False"]
        default: nil
        }
    }

    /// Case-insensitive role membership, as oslo.policy's RoleCheck.
    public func hasRole(_ role: String) -> Bool {
        let wanted = role.lowercased()
        return roles.contains { $0.lowercased() == wanted }
    }
}
