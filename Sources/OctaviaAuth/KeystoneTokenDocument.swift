import Foundation

/// The parts of Keystone's `{"token": {...}}` (POST/GET /v3/auth/tokens) that we use.
struct KeystoneTokenDocument: Decodable {
    struct Named: Decodable {
        var id: String
        var name: String?
        var domain: Domain?
    }
    struct Domain: Decodable {
        var id: String?
        var name: String?
    }
    struct Role: Decodable {
        var id: String?
        var name: String
    }
    struct System: Decodable {
        var all: Bool?
    }
    struct Token: Decodable {
        var expiresAt: String
        var user: Named?
        var project: Named?
        var roles: [Role]?
        var system: System?

        enum CodingKeys: String, CodingKey {
            case expiresAt = "expires_at", user, project, roles, system
        }
    }

    var token: Token

    var credentials: Credentials {
        Credentials(
            userID: token.user?.id, userName: token.user?.name, userDomainID: token.user?.domain?.id,
            projectID: token.project?.id, projectName: token.project?.name, projectDomainID: token.project?.domain?.id,
            roles: (token.roles ?? []).map(\.name), systemScope: token.system?.all == true ? "all" : nil)
    }

    /// Keystone's `2026-11-26T18:25:12.000000Z` (fraction optional); nil if unparsable.
    static func parseDate(_ text: String) -> Date? {
        var text = text
        if let dot = text.firstIndex(of: ".") {
            let zone = text[dot...].firstIndex { $0 == "Z" || $0 == "+" || $0 == "-" }
            text = String(text[..<dot]) + (zone.map { String(text[$0...]) } ?? "Z")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
