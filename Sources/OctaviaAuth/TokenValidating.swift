/// Why a token was not accepted.
public enum TokenValidationError: Error, Equatable, Sendable {
    /// Missing, malformed, unknown, revoked or expired: the client must authenticate (401).
    case invalid
    /// Keystone could not be asked (down, timing out, 5xx, service credentials refused): 503.
    case unavailable(String)
}

/// Turns an `X-Auth-Token` into the caller's credentials.
public protocol TokenValidating: Sendable {
    func validate(_ token: String) async throws(TokenValidationError) -> Credentials
}
