import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// keystonemiddleware's auth_token, reduced to what Octavia uses: the service user logs in with
/// its password (`POST /v3/auth/tokens`), then each user token is checked with
/// `GET /v3/auth/tokens` + `X-Subject-Token` and cached until it expires.
///
/// Tokens and passwords never reach the log; Keystone being unreachable is ``TokenValidationError/unavailable(_:)``
/// (503), and the next request simply tries again.
public actor KeystoneTokenValidator: TokenValidating {
    struct ServiceToken {
        var value: String
        var issued: Date
        var expires: Date

        /// Renewed a minute before expiry, or at three quarters of a shorter lifetime.
        func isFresh(at now: Date) -> Bool {
            expires.timeIntervalSince(now) > min(60, expires.timeIntervalSince(issued) / 4)
        }
    }

    let settings: KeystoneSettings
    let client: HTTPClient
    let logger: Logger
    let now: @Sendable () -> Date
    var cache: TokenCache
    var serviceToken: ServiceToken?
    var serviceLogin: Task<ServiceToken, any Error>?

    static let maxBody = 4 * 1024 * 1024

    /// Whether ``shutdown()`` must shut the client down (it was made here).
    let ownsClient: Bool

    /// - Parameter client: nil makes a client that fails at once when Keystone refuses the
    ///   connection (no connect retries until the deadline); call ``shutdown()`` when done.
    public init(settings: KeystoneSettings, client: HTTPClient? = nil, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.client = client ?? Self.makeClient(connectTimeout: settings.timeout)
        ownsClient = client == nil
        self.logger = logger
        self.now = now
        cache = TokenCache(capacity: settings.cacheCapacity, maxAge: settings.cacheTime.seconds)
    }

    public func validate(_ token: String) async throws(TokenValidationError) -> Credentials {
        let token = token.trimmingCharacters(in: .whitespaces)
        // Fernet tokens are ~180 characters; anything absurd is not worth a Keystone round trip.
        guard !token.isEmpty, token.utf8.count <= 8192, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .invalid
        }
        if let cached = cache.lookup(token, now: now()) { return cached }
        do {
            return try await ask(token, retryingServiceLogin: true)
        } catch let error as TokenValidationError {
            throw error
        } catch {
            throw .unavailable("Keystone request failed: \(type(of: error))")
        }
    }

    private func ask(_ token: String, retryingServiceLogin: Bool) async throws -> Credentials {
        let service = try await currentServiceToken()
        var request = HTTPClientRequest(url: settings.identityV3 + "/auth/tokens")
        request.method = .GET
        request.headers.add(name: "X-Auth-Token", value: service.value)
        request.headers.add(name: "X-Subject-Token", value: token)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, deadline: .now() + .init(settings.timeout))
        let body = try await response.body.collect(upTo: Self.maxBody)
        switch response.status.code {
        case 200:
            let document = try JSONDecoder().decode(KeystoneTokenDocument.self, from: body)
            guard let expires = KeystoneTokenDocument.parseDate(document.token.expiresAt) else {
                throw TokenValidationError.unavailable("Keystone returned an unreadable expires_at")
            }
            let current = now()
            guard expires > current else { throw TokenValidationError.invalid }
            let credentials = document.credentials
            cache.insert(token, credentials, expires: expires, now: current)
            return credentials
        case 401 where retryingServiceLogin, 403 where retryingServiceLogin:
            // Our own token was revoked or expired early: log in again once.
            logger.info("Keystone refused the service token; logging in again")
            serviceToken = nil
            return try await ask(token, retryingServiceLogin: false)
        case 400, 404:
            logger.debug("Keystone did not accept a user token", metadata: ["status": "\(response.status.code)"])
            throw TokenValidationError.invalid
        default:
            throw TokenValidationError.unavailable("Keystone answered \(response.status.code) to token validation")
        }
    }

    /// The service user's token, logging in (once for all concurrent callers) when it is
    /// missing or about to expire.
    private func currentServiceToken() async throws -> ServiceToken {
        if let serviceToken, serviceToken.isFresh(at: now()) { return serviceToken }
        if let serviceLogin { return try await serviceLogin.value }
        let task = Task { try await self.login() }
        serviceLogin = task
        defer { serviceLogin = nil }
        let token = try await task.value
        serviceToken = token
        return token
    }

    private func login() async throws -> ServiceToken {
        let body: [String: Any] = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": ["user": [
                        "name": settings.username, "password": settings.password,
                        "domain": ["name": settings.userDomainName],
                    ]],
                ],
                "scope": ["project": ["name": settings.projectName, "domain": ["name": settings.projectDomainName]]],
            ],
        ]
        var request = HTTPClientRequest(url: settings.identityV3 + "/auth/tokens?nocatalog")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await client.execute(request, deadline: .now() + .init(settings.timeout))
        let data = try await response.body.collect(upTo: Self.maxBody)
        guard response.status.code == 201, let value = response.headers.first(name: "X-Subject-Token") else {
            logger.error("Keystone refused the service user's login", metadata: [
                "status": "\(response.status.code)", "user": "\(settings.username)", "auth_url": "\(settings.authURL)",
            ])
            throw TokenValidationError.unavailable("the service user could not log in to Keystone (\(response.status.code))")
        }
        let document = try JSONDecoder().decode(KeystoneTokenDocument.self, from: data)
        let issued = now()
        let expires = KeystoneTokenDocument.parseDate(document.token.expiresAt) ?? issued.addingTimeInterval(300)
        logger.info("logged in to Keystone as the service user", metadata: ["user": "\(settings.username)"])
        return ServiceToken(value: value, issued: issued, expires: expires)
    }

    /// An outage answers 503 as soon as the connection is refused, not after the deadline.
    static func makeClient(connectTimeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .init(connectTimeout)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Shuts down the HTTP client this validator made.
    public func shutdown() async {
        guard ownsClient else { return }
        try? await client.shutdown()
    }

    /// Number of tokens cached (for tests).
    var cachedCount: Int { cache.entries.count }
}

extension Duration {
    var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(Int64(duration.seconds * 1e9))
    }
}
