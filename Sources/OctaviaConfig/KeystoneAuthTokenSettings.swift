/// `[keystone_authtoken]` (keystonemiddleware's options, password auth only): how the API
/// validates user tokens when `[api_settings] auth_strategy = keystone`.
public struct KeystoneAuthTokenSettings: SettingsSection {
    /// `www_authenticate_uri` (string): public Keystone URL returned in `WWW-Authenticate` on 401.
    public var wwwAuthenticateURI: String?
    /// `auth_url` (string): Keystone URL the service user logs in to and validates tokens with.
    public var authURL: String?
    /// `auth_type` (password): only password auth is supported.
    public var authType: AuthType
    /// `username`, `password` (secret), `project_name`: the service user.
    public var username: String?
    public var password: String?
    public var projectName: String?
    /// `user_domain_name`, `project_domain_name` (default `Default`).
    public var userDomainName: String
    public var projectDomainName: String
    /// `region_name` (string, optional).
    public var regionName: String?
    /// `http_connect_timeout` (int seconds, default 10): deadline of each Keystone request.
    public var httpConnectTimeout: Int
    /// `token_cache_time` (int seconds, default 300): longest a validated token is reused.
    public var tokenCacheTime: Int
    /// `token_cache_size` (ours, int, default 10000): most tokens kept in memory.
    public var tokenCacheSize: Int
    /// `memcached_servers` (list): accepted for compatibility with existing files; tokens are
    /// cached in process memory.
    public var memcachedServers: [String]

    public enum AuthType: String, Sendable, CaseIterable { case password }

    public enum Option {
        public static let wwwAuthenticateURI: ConfigOption<String?> = .optionalString(
            "www_authenticate_uri", help: "Complete public Identity API endpoint, sent to clients in WWW-Authenticate.")
        public static let authURL: ConfigOption<String?> = .optionalString(
            "auth_url", help: "Identity endpoint the service user authenticates against (with or without /v3).")
        public static let authType: ConfigOption<AuthType> = .choice(
            "auth_type", default: .password, help: "Authentication type; only password is supported.")
        public static let username: ConfigOption<String?> = .optionalString("username", help: "Service user name.")
        public static let password: ConfigOption<String?> = .optionalString(
            "password", secret: true, help: "Service user password.")
        public static let projectName: ConfigOption<String?> = .optionalString(
            "project_name", help: "Project the service user's token is scoped to.")
        public static let userDomainName: ConfigOption<String> = .string(
            "user_domain_name", default: "Default", help: "Domain of the service user.")
        public static let projectDomainName: ConfigOption<String> = .string(
            "project_domain_name", default: "Default", help: "Domain of the service project.")
        public static let regionName: ConfigOption<String?> = .optionalString(
            "region_name", help: "The region in which the identity server can be found.")
        public static let httpConnectTimeout: ConfigOption<Int> = .integer(
            "http_connect_timeout", default: 10, min: 1, help: "Seconds to wait for each request to the identity server.")
        public static let tokenCacheTime: ConfigOption<Int> = .integer(
            "token_cache_time", default: 300, min: 0,
            help: "Seconds a validated token is cached (never past its expiry); 0 disables the cache.")
        public static let tokenCacheSize: ConfigOption<Int> = .integer(
            "token_cache_size", default: 10000, min: 1, help: "Most validated tokens kept in memory.")
        public static let memcachedServers: ConfigOption<[String]> = .list(
            "memcached_servers", default: [],
            help: "Accepted for compatibility; validated tokens are cached in the API process's memory.")
    }

    public static let sectionName = "keystone_authtoken"
    public static let sectionHelp = "Keystone token validation for auth_strategy = keystone (keystonemiddleware options)."
    public static let options = [
        Option.wwwAuthenticateURI.descriptor, Option.authURL.descriptor, Option.authType.descriptor,
        Option.username.descriptor, Option.password.descriptor, Option.projectName.descriptor,
        Option.userDomainName.descriptor, Option.projectDomainName.descriptor, Option.regionName.descriptor,
        Option.httpConnectTimeout.descriptor, Option.tokenCacheTime.descriptor, Option.tokenCacheSize.descriptor,
        Option.memcachedServers.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        wwwAuthenticateURI = try reader(Option.wwwAuthenticateURI)
        authURL = try reader(Option.authURL)
        authType = try reader(Option.authType)
        username = try reader(Option.username)
        password = try reader(Option.password)
        projectName = try reader(Option.projectName)
        userDomainName = try reader(Option.userDomainName)
        projectDomainName = try reader(Option.projectDomainName)
        regionName = try reader(Option.regionName)
        httpConnectTimeout = try reader(Option.httpConnectTimeout)
        tokenCacheTime = try reader(Option.tokenCacheTime)
        tokenCacheSize = try reader(Option.tokenCacheSize)
        memcachedServers = try reader(Option.memcachedServers)
    }

    /// The options that must be set for keystone auth, with the first missing one named.
    public func missingForKeystone() -> String? {
        for (name, value) in [("auth_url", authURL), ("username", username), ("password", password),
                              ("project_name", projectName)] where value == nil {
            return name
        }
        return nil
    }
}
