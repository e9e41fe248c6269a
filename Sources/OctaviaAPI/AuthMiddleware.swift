import Hummingbird
import OctaviaAuth
import OctaviaCore

/// keystonemiddleware's auth_token for the API: every request except version discovery needs a
/// valid `X-Auth-Token`. Missing/invalid/expired → 401 with `WWW-Authenticate`; Keystone
/// unreachable → 503. The caller's identity headers are replaced by what the token says, so a
/// client cannot name another project through `X-Project-Id`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let auth: APIAuthentication

    static var tokenHeader: HeaderName { HeaderName("X-Auth-Token")! }
    /// Headers keystonemiddleware strips from the incoming request before setting its own.
    static var identityHeaders: [HeaderName] {
        ["X-Project-Id", "X-Tenant-Id", "X-Tenant", "X-User-Id", "X-Roles", "X-Identity-Status", "X-Service-Roles",
         "X-Project-Name", "X-User-Name", "X-Is-Admin-Project"].compactMap { HeaderName($0) }
    }
    /// Paths answered without a token, as Octavia's `SkippingAuthProtocol`.
    static func isPublic(_ path: String) -> Bool {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return path.isEmpty || path == "/" || path == "/healthcheck"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.isPublic(request.uri.path) { return try await next(request, context) }
        guard let token = request.headers[Self.tokenHeader], !token.isEmpty else { return unauthorized() }
        let credentials: Credentials
        do {
            credentials = auth.policy.withAdminFlag(try await auth.validator.validate(token))
        } catch .invalid {
            return unauthorized()
        } catch .unavailable(let reason) {
            context.logger.error("cannot validate tokens: \(reason)")
            throw OctaviaError(.serviceUnavailable, "The Keystone service is temporarily unavailable.")
        }
        var head = request.head
        for name in Self.identityHeaders { head.headerFields[name] = nil }
        if let project = credentials.projectID { head.headerFields[APIContext.projectHeader] = project }
        let authenticated = Request(head: head, body: request.body)
        return try await RequestCaller.$credentials.withValue(credentials) {
            try await next(authenticated, context)
        }
    }

    /// keystonemiddleware's 401.
    func unauthorized() -> Response {
        var response = JSONResponse.make(status: .unauthorized, body: [
            "error": [
                "code": 401, "title": "Unauthorized",
                "message": "The request you have made requires authentication.",
            ],
        ])
        response.headers[HeaderName("WWW-Authenticate")!] = "Keystone uri=\"\(auth.wwwAuthenticateURI)\""
        return response
    }
}
