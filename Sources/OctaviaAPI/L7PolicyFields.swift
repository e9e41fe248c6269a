import Foundation
import OctaviaCore

/// The L7 policy request fields shared by POST and PUT, type-checked as WSME does, plus
/// Octavia's `sanitize_l7policy_api_args` (validation.md §6).
struct L7PolicyFields {
    var name: Field<String>, description: Field<String>, adminStateUp: Field<Bool>, tags: Field<[String]>
    var action: Field<L7PolicyAction>, redirectPoolID: Field<Pool.ID>
    var redirectURL: Field<String>, redirectPrefix: Field<String>
    var redirectHTTPCode: Field<Int>, position: Field<Int>

    /// The redirect part of a policy after sanitizing: one action and only the fields it uses.
    struct Redirect: Equatable {
        var action: L7PolicyAction
        var poolID: Pool.ID?
        var url: String?
        var prefix: String?
        var httpCode: Int?
    }

    init(_ body: BodyReader) throws {
        name = try body.string("name")
        description = try body.string("description")
        adminStateUp = try body.bool("admin_state_up")
        tags = try body.stringList("tags")
        action = try body.enumValue("action", L7PolicyAction.self)
        redirectPoolID = try body.uuid("redirect_pool_id")
        redirectURL = try Self.url(body, "redirect_url")
        redirectPrefix = try Self.url(body, "redirect_prefix")
        redirectHTTPCode = try body.raw("redirect_http_code").map { value in
            guard case .int(let code) = value, L7RedirectHTTPCode(rawValue: code) != nil else {
                let allowed = L7RedirectHTTPCode.allCases.map { String($0.rawValue) }.joined(separator: ", ")
                throw OctaviaError.invalidInput("redirect_http_code", value.pythonDescription, "Value should be one of: \(allowed)")
            }
            return code
        }
        position = try body.int("position", min: L7Policy.positionRange.lowerBound, max: L7Policy.positionRange.upperBound)
    }

    static func invalidArgs(_ message: String) -> OctaviaError {
        OctaviaError(.badRequest, "Invalid L7 Policy arguments: \(message)")
    }

    /// POST: `action` is known; the redirect fields decide the final action.
    func sanitized(action: L7PolicyAction) throws -> Redirect {
        try Self.sanitize(action: action, pool: redirectPoolID.value, url: redirectURL.value, prefix: redirectPrefix.value,
                          code: redirectHTTPCode.value, fallback: nil)
    }

    /// PUT: the request's fields over the stored policy.
    func sanitizedUpdate(current: L7Policy) throws -> Redirect {
        let stored = Redirect(action: current.action, poolID: current.redirectPoolID, url: current.redirectURL,
                              prefix: current.redirectPrefix, httpCode: current.redirectHTTPCode)
        return try Self.sanitize(action: action.value, pool: redirectPoolID.value, url: redirectURL.value,
                                 prefix: redirectPrefix.value,
                                 code: redirectHTTPCode.isPresent ? redirectHTTPCode.value : nil, fallback: stored)
    }

    /// Octavia's rules, in its order: the action needs its field; a pool excludes URL and prefix;
    /// a given pool/URL/prefix forces its action. Unused fields are cleared; URL and prefix
    /// redirects default to 302.
    static func sanitize(action: L7PolicyAction?, pool: Pool.ID?, url: String?, prefix: String?, code: Int?,
                         fallback: Redirect?) throws -> Redirect {
        switch action {
        case .redirectToURL? where url == nil: throw invalidArgs("redirect_url must not be None")
        case .redirectToPool? where pool == nil: throw invalidArgs("redirect_pool_id or redirect_pool must not be None")
        case .redirectPrefix? where prefix == nil: throw invalidArgs("redirect_prefix must not be None")
        default: break
        }
        if pool != nil, url != nil || prefix != nil {
            throw invalidArgs("Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time")
        }
        var result = fallback ?? Redirect(action: action ?? .reject)
        if let action { result.action = action }
        if let code { result.httpCode = code }
        if let pool {
            result.action = .redirectToPool
            result.poolID = pool
        } else if let url {
            result.action = .redirectToURL
            result.url = url
        } else if let prefix {
            result.action = .redirectPrefix
            result.prefix = prefix
        }
        switch result.action {
        case .reject:
            return Redirect(action: .reject)
        case .redirectToPool:
            return Redirect(action: .redirectToPool, poolID: result.poolID)
        case .redirectToURL:
            guard let url = result.url else { throw invalidArgs("redirect_url must not be None") }
            return Redirect(action: .redirectToURL, url: url, httpCode: result.httpCode ?? 302)
        case .redirectPrefix:
            guard let prefix = result.prefix else { throw invalidArgs("redirect_prefix must not be None") }
            return Redirect(action: .redirectPrefix, prefix: prefix, httpCode: result.httpCode ?? 302)
        }
    }

    /// Octavia's `URLType`: http(s) scheme, a host, no control characters or spaces.
    static func url(_ body: BodyReader, _ key: String) throws -> Field<String> {
        try body.string(key).map { text in
            guard isValidURL(text) else {
                throw OctaviaError.invalidInput(key, text, "Value must be a valid URL string")
            }
            return text
        }
    }

    static func isValidURL(_ text: String) -> Bool {
        let forbidden = text.unicodeScalars.contains { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }
        guard !forbidden, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
