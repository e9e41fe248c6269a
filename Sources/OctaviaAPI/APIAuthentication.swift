import OctaviaAuth

/// Keystone authentication and RBAC for the API (`auth_strategy = keystone`); nil in
/// ``APIOptions/authentication`` means noauth, where every caller is an admin.
public struct APIAuthentication: Sendable {
    public var validator: any TokenValidating
    public var policy: PolicyEnforcer
    /// `[keystone_authtoken] www_authenticate_uri`, sent in `WWW-Authenticate` on 401.
    public var wwwAuthenticateURI: String

    public init(validator: any TokenValidating, policy: PolicyEnforcer, wwwAuthenticateURI: String) {
        self.validator = validator
        self.policy = policy
        self.wwwAuthenticateURI = wwwAuthenticateURI
    }
}

/// The caller of the request being handled, set by ``AuthMiddleware`` for the route's policy
/// check (a task-local: it lives exactly as long as the request's task).
enum RequestCaller {
    @TaskLocal static var credentials: Credentials?
}
