import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import OctaviaAmphoraWire
import OctaviaCore

/// The controller's mTLS client for the amphora agent REST API (Octavia's
/// `amphora_haproxy_rest_driver`).
///
/// `lbNetworkIP` is either `unix:<path>` (local amphorae: the socket path is the identity, so no
/// hostname check) or an IP address (then `https://<ip>:<agentPort>`, and the server certificate must
/// name the amphora id).
public final class RESTAmphoraDriver: AmphoraDriver, AmphoraCertificateUploader {
    private let unixClient: HTTPClient
    private let addressClients: AddressClients
    private let requestTimeout: Duration
    private let retryInterval: Duration
    private let retryWindow: Duration
    private let agentPort: Int
    private let logger: Logger

    /// Largest agent answer read; answers are small JSON documents or a haproxy.cfg.
    static let maximumBodySize = 4 << 20

    /// - Parameters:
    ///   - clientPEM: the controller's client certificate followed by its key.
    ///   - serverCAPEM: the only CA trusted for agent server certificates.
    ///   - requestTimeout: limit for one request, answer included (`rest_request_read_timeout`).
    ///   - connectTimeout: limit for one connection attempt (`rest_request_conn_timeout`).
    ///   - retryInterval: pause between attempts when the agent cannot be reached or has no interface yet.
    ///   - retryWindow: how long calls other than `waitForAgent` keep retrying such failures.
    ///   - agentPort: the agent's port for IP endpoints (`[haproxy_amphora] bind_port`).
    public init(
        clientPEM: String, serverCAPEM: String, requestTimeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10), retryInterval: Duration = .milliseconds(200),
        retryWindow: Duration = .seconds(30), agentPort: Int = 9443, logger: Logger
    ) throws {
        let credentials = try ClientCredentials(clientPEM: clientPEM, serverCAPEM: serverCAPEM)
        let timeout = HTTPClient.Configuration.Timeout(connect: TimeAmount(connectTimeout), read: TimeAmount(requestTimeout))
        @Sendable func configuration(_ verification: CertificateVerification, _ dnsOverride: [String: String]) -> HTTPClient.Configuration {
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: credentials.tlsConfiguration(verification: verification), timeout: timeout)
            configuration.redirectConfiguration = .disallow
            configuration.dnsOverride = dnsOverride
            return configuration
        }
        unixClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: configuration(.noHostnameVerification, [:]), backgroundActivityLogger: logger)
        let fullVerification = { @Sendable (dnsOverride: [String: String]) in
            HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: configuration(.fullVerification, dnsOverride), backgroundActivityLogger: logger)
        }
        addressClients = AddressClients(makeClient: fullVerification)
        self.requestTimeout = requestTimeout
        self.retryInterval = retryInterval
        self.retryWindow = retryWindow
        self.agentPort = agentPort
        self.logger = logger
    }

    /// Closes all connections. Call once, before dropping the driver.
    public func shutdown() async throws {
        try await addressClients.shutdown()
        try await unixClient.shutdown()
    }

    // MARK: - AmphoraDriver

    public func waitForAgent(_ amphora: Amphora, timeout: Duration) async throws {
        let answer = try await call(amphora, .GET, AgentAPI.Path.root, window: timeout) { status, _ in
            status == .ok ? .done : .retry
        }
        let version: AgentVersion
        do {
            version = try JSONDecoder().decode(AgentVersion.self, from: answer.body)
        } catch {
            throw AmphoraAgentError.invalidResponse(amphora.id, path: AgentAPI.Path.root, "\(error)")
        }
        guard version.apiVersion == AgentAPI.version else {
            throw AmphoraAgentError.unsupportedAPIVersion(amphora.id, version.apiVersion)
        }
        logger.debug("amphora agent is up", metadata: ["amphora_id": "\(amphora.id)"])
    }

    public func plugVIP(_ amphora: Amphora, _ plug: VIPPlug) async throws {
        let request = PlugVIPRequest(
            subnetCIDR: plug.subnetCIDR, gateway: plug.gateway, macAddress: plug.macAddress, vrrpIP: plug.vrrpIP,
            mtu: plug.mtu)
        try await post(amphora, AgentAPI.Path.plugVIP(plug.vip), json: request)
    }

    public func plugNetwork(_ amphora: Amphora, _ plug: NetworkPlug) async throws {
        let request = PlugNetworkRequest(
            macAddress: plug.macAddress,
            fixedIPs: [FixedIP(ipAddress: plug.ipAddress, subnetCIDR: plug.subnetCIDR, gateway: plug.gateway)],
            mtu: plug.mtu)
        try await post(amphora, AgentAPI.Path.plugNetwork, json: request)
    }

    public func applyHAProxyConfig(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, config: String) async throws {
        let upload = AgentAPI.Path.haproxyConfig(amphoraID: amphora.id.rawValue, loadBalancerID: loadBalancerID.rawValue)
        _ = try await call(amphora, .PUT, upload, body: Data(config.utf8), contentType: "text/plain") { status, _ in
            status.code / 100 == 2 ? .done : .fail
        }
        // The agent turns a reload of a stopped HAProxy into a start.
        let reload = AgentAPI.Path.action(loadBalancerID: loadBalancerID.rawValue, .reload)
        _ = try await call(amphora, .PUT, reload) { status, _ in status.code / 100 == 2 ? .done : .fail }
        logger.debug("haproxy configuration applied",
                     metadata: ["amphora_id": "\(amphora.id)", "load_balancer_id": "\(loadBalancerID)"])
    }

    public func removeLoadBalancer(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws {
        let path = AgentAPI.Path.deleteListeners(loadBalancerID: loadBalancerID.rawValue)
        _ = try await call(amphora, .DELETE, path) { status, _ in
            status.code / 100 == 2 || status == .notFound ? .done : .fail
        }
    }

    public func uploadCertificateFile(
        _ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String, pem: String
    ) async throws {
        let path = AgentAPI.Path.certificate(loadBalancerID: loadBalancerID.rawValue, filename: filename)
        _ = try await call(amphora, .PUT, path, body: Data(pem.utf8), contentType: "application/octet-stream") { status, _ in
            status.code / 100 == 2 ? .done : .fail
        }
    }

    public func certificateFileMD5(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws -> String? {
        let path = AgentAPI.Path.certificate(loadBalancerID: loadBalancerID.rawValue, filename: filename)
        // The agent's 404 is JSON; a non-JSON 404 (not the agent) is retried by `call`.
        let answer = try await call(amphora, .GET, path) { status, _ in
            status == .ok || status == .notFound ? .done : .fail
        }
        guard answer.status == .ok else { return nil }
        do {
            return try JSONDecoder().decode(CertificateMD5.self, from: answer.body).md5sum
        } catch {
            throw AmphoraAgentError.invalidResponse(amphora.id, path: path, "\(error)")
        }
    }

    public func deleteCertificateFile(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws {
        let path = AgentAPI.Path.certificate(loadBalancerID: loadBalancerID.rawValue, filename: filename)
        _ = try await call(amphora, .DELETE, path) { status, _ in
            status.code / 100 == 2 || status == .notFound ? .done : .fail
        }
    }

    // MARK: - AmphoraCertificateUploader

    /// `PUT /1.0/certificate`: the agent checks the PEM and serves it to new connections. Pooled
    /// connections keep the certificate they were opened with until they close.
    public func uploadServerCertificate(_ amphora: Amphora, pem: String) async throws {
        _ = try await call(amphora, .PUT, AgentAPI.Path.serverCertificate, body: Data(pem.utf8),
                           contentType: "application/octet-stream") { status, _ in
            status.code / 100 == 2 ? .done : .fail
        }
        logger.info("amphora agent certificate replaced", metadata: ["amphora_id": "\(amphora.id)"])
    }

    // MARK: - Requests

    /// POST for plug calls: 409 (interface exists) is success; a 404 saying "No suitable network
    /// interface found" is retried while the NIC appears (as Octavia does).
    private func post(_ amphora: Amphora, _ path: String, json: some Encodable) async throws {
        let body = try JSONEncoder().encode(json)
        _ = try await call(amphora, .POST, path, body: body, contentType: "application/json") { status, answer in
            switch status.code {
            case 200..<300, 409: return .done
            case 404 where answer.agentMessage?.details?.contains(Self.noInterface) == true: return .retry
            default: return .fail
            }
        }
    }

    static let noInterface = "No suitable network interface found"

    enum Verdict { case done, retry, fail }

    struct Answer {
        var status: HTTPResponseStatus
        var contentType: String?
        var body: Data
        var isJSON: Bool { contentType?.lowercased().hasPrefix("application/json") == true }
        var agentMessage: AgentMessage? { try? JSONDecoder().decode(AgentMessage.self, from: body) }
    }

    /// Sends one request, retrying transport failures, non-JSON 404s and `.retry` verdicts every `retryInterval`
    /// until `window` (default `retryWindow`) has passed. `.fail` becomes an `AmphoraAgentError`.
    private func call(
        _ amphora: Amphora, _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil,
        window: Duration? = nil, judge: (HTTPResponseStatus, Answer) -> Verdict
    ) async throws -> Answer {
        let endpoint = try AgentEndpoint(amphora)
        guard let url = endpoint.url(for: path, amphora: amphora.id, port: agentPort) else {
            throw AmphoraAgentError.invalidEndpoint(amphora.id, "cannot build a URL for \(endpoint.display(port: agentPort))")
        }
        let client: HTTPClient
        switch endpoint {
        case .unixSocket: client = unixClient
        case .address(let ip): client = try await addressClients.client(for: amphora.id, ip: ip)
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: AgentAPI.userAgent)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }

        let clock = ContinuousClock()
        let deadline = clock.now + (window ?? retryWindow)
        var logger = self.logger
        logger[metadataKey: "amphora_id"] = "\(amphora.id)"
        var lastFailure = "no attempt made"
        while true {
            do {
                // waitForAgent's window also bounds each attempt, so a hung agent cannot stretch it.
                let remaining = deadline - clock.now
                let attemptTimeout = window == nil ? requestTimeout : max(min(requestTimeout, remaining), .milliseconds(100))
                let answer = try await send(request, client: client, timeout: attemptTimeout, logger: logger)
                // A 404 that is not the agent's JSON comes from something else on the way up (Octavia retries it).
                let verdict = answer.status == .notFound && !answer.isJSON ? .retry : judge(answer.status, answer)
                switch verdict {
                case .done:
                    return answer
                case .fail:
                    let message = answer.agentMessage
                    throw AmphoraAgentError.answered(
                        amphora.id, path: path, status: Int(answer.status.code),
                        message: message?.message ?? String(decoding: answer.body.prefix(2048), as: UTF8.self),
                        details: message?.details)
                case .retry:
                    lastFailure = "HTTP \(answer.status.code): \(String(decoding: answer.body.prefix(512), as: UTF8.self))"
                }
            } catch let error as AmphoraAgentError {
                throw error
            } catch {
                try Task.checkCancellation()
                lastFailure = "\(error)"
            }
            guard clock.now + retryInterval < deadline else {
                throw AmphoraAgentError.unreachable(amphora.id, path: path, lastFailure: lastFailure)
            }
            logger.trace("retrying agent request", metadata: ["path": "\(path)", "failure": "\(lastFailure)"])
            try await Task.sleep(for: retryInterval)
        }
    }

    private func send(
        _ request: HTTPClientRequest, client: HTTPClient, timeout: Duration, logger: Logger
    ) async throws -> Answer {
        let response = try await client.execute(request, timeout: TimeAmount(timeout), logger: logger)
        let buffer = try await response.body.collect(upTo: Self.maximumBodySize)
        return Answer(
            status: response.status, contentType: response.headers.first(name: "Content-Type"),
            body: Data(buffer: buffer))
    }
}
