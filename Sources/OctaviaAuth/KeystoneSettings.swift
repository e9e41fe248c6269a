import Foundation

/// What the token validator needs from `[keystone_authtoken]` (password auth of the service user).
public struct KeystoneSettings: Sendable {
    /// `www_authenticate_uri`: the public Keystone URL sent to clients in `WWW-Authenticate`.
    public var wwwAuthenticateURI: String
    /// `auth_url`: where the service user authenticates and tokens are validated.
    public var authURL: String
    public var username: String
    public var password: String
    public var projectName: String
    public var userDomainName: String
    public var projectDomainName: String
    public var regionName: String?
    /// `http_connect_timeout` / request deadline towards Keystone.
    public var timeout: Duration
    /// `token_cache_time`: a validated token is reused for at most this long (and never past its expiry).
    public var cacheTime: Duration
    /// Most tokens kept in the cache.
    public var cacheCapacity: Int

    public init(
        wwwAuthenticateURI: String, authURL: String, username: String, password: String, projectName: String,
        userDomainName: String = "Default", projectDomainName: String = "Default", regionName: String? = nil,
        timeout: Duration = .seconds(10), cacheTime: Duration = .seconds(300), cacheCapacity: Int = 10_000
    ) {
        self.wwwAuthenticateURI = wwwAuthenticateURI; self.authURL = authURL; self.username = username
        self.password = password; self.projectName = projectName; self.userDomainName = userDomainName
        self.projectDomainName = projectDomainName; self.regionName = regionName; self.timeout = timeout
        self.cacheTime = cacheTime; self.cacheCapacity = cacheCapacity
    }

    /// `auth_url` as the Identity v3 base (`…/v3`), whether or not the operator wrote the version.
    public var identityV3: String {
        var base = authURL
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v3") ? base : base + "/v3"
    }
}
