import Foundation
import Hummingbird
import Logging
import OctaviaAmphoraWire

/// What the routes need: our identity, the HAProxy owner, the network plumbing and version info.
struct AgentHandlers: Sendable {
    var amphoraID: String
    var supervisor: HAProxySupervisor
    var plugger: NetworkPlugger
    var info: AgentInfoProvider
    /// TLS files under `[haproxy_amphora] base_cert_dir`.
    var certificates: CertificateFiles
    /// The agent's own TLS certificate, replaced by `PUT /1.0/certificate`.
    var serverCertificate: AgentServerCertificate
    /// Largest accepted request body (haproxy.cfg can be big with many listeners).
    var maxBodySize = 16 * 1024 * 1024

    init(settings: AgentSettings, supervisor: HAProxySupervisor, logger: Logger) {
        amphoraID = settings.amphoraID
        self.supervisor = supervisor
        plugger = NetworkPlugger(logger: logger)
        info = AgentInfoProvider(haproxyCommand: settings.haproxyCommand)
        certificates = CertificateFiles(baseDirectory: settings.baseCertificateDirectory)
        serverCertificate = AgentServerCertificate(path: settings.serverCertificatePath, amphoraID: settings.amphoraID)
    }
}

/// Builds the agent's routes. Generic over the context so tests can drive it without sockets.
func buildAgentRouter<Context: RequestContext>(_ handlers: AgentHandlers, context: Context.Type = Context.self) -> Router<Context> {
    let router = Router(context: Context.self)
    let accepted = AgentMessage(message: "OK")

    router.get("/") { _, _ in try AgentReply.json(AgentVersion(apiVersion: AgentAPI.version)) }
    router.get("/1.0/info") { _, _ in try await AgentReply.json(InfoReply(handlers.info.info())) }

    // PUT /1.0/loadbalancer/{amphora_id}/{lb_id}/haproxy. The segment names match the two-segment
    // routes below so the router's trie sees one parameter name per level.
    router.put("/1.0/loadbalancer/:object_id/:action/haproxy") { request, context in
        let amphoraID = context.parameters.get("object_id") ?? ""
        guard amphoraID == handlers.amphoraID else { throw AgentError.invalid("Amphora ID \(amphoraID) is not this amphora") }
        let id = try LoadBalancerID.parse(context.parameters.get("action"))
        let body = try await body(request, limit: handlers.maxBodySize)
        guard let text = String(bytes: body, encoding: .utf8) else { throw AgentError.invalid("Configuration is not UTF-8") }
        let etag = try await handlers.supervisor.storeConfig(text, for: id)
        return try AgentReply.json(accepted, status: .accepted, headers: [.eTag: etag])
    }

    router.get("/1.0/loadbalancer/:object_id/haproxy") { _, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        guard let text = await handlers.supervisor.config(for: id) else { throw AgentError.loadBalancerNotFound }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .eTag: Digest.md5Hex(Array(text.utf8))],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    router.put("/1.0/loadbalancer/:object_id/:action") { _, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        let raw = context.parameters.get("action") ?? ""
        guard let action = HAProxyAction(rawValue: raw) else {
            throw AgentError.invalid("Invalid action '\(raw)'; use start, stop or reload")
        }
        let details: String
        switch action {
        case .start: details = try await handlers.supervisor.start(id)
        case .reload: details = try await handlers.supervisor.reload(id)
        case .stop: details = await handlers.supervisor.stop(id)
        }
        return try AgentReply.json(AgentMessage(message: "OK", details: details), status: .accepted)
    }

    router.delete("/1.0/listeners/:object_id") { _, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        await handlers.supervisor.delete(id)
        handlers.certificates.removeAll(id)
        return try AgentReply.json(accepted)
    }

    router.post("/1.0/plug/vip/:vip") { request, context in
        let vip = context.parameters.get("vip") ?? ""
        let plug = try await decode(PlugVIPRequest.self, request, limit: handlers.maxBodySize)
        let details = try await handlers.plugger.plugVIP(vip, plug)
        return try AgentReply.json(AgentMessage(message: "OK", details: details), status: .accepted)
    }

    router.post("/1.0/plug/network") { request, _ in
        let plug = try await decode(PlugNetworkRequest.self, request, limit: handlers.maxBodySize)
        let details = try await handlers.plugger.plugNetwork(plug)
        return try AgentReply.json(AgentMessage(message: "OK", details: details), status: .accepted)
    }
    addCertificateRoutes(to: router, handlers)
    addServerCertificateRoute(to: router, handlers)
    return router
}

/// The whole request body; more than `limit` bytes is a 413.
func body(_ request: Request, limit: Int) async throws -> [UInt8] {
    var request = request
    do {
        let buffer = try await request.collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    } catch {
        throw AgentError(.contentTooLarge, "Request body too large")
    }
}

/// Decodes a JSON body; anything malformed is a 400, never a crash.
private func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws -> T {
    let bytes = try await body(request, limit: limit)
    do {
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    } catch {
        throw AgentError.invalid("Invalid JSON body: \(error)")
    }
}

/// `/info` with explicit nulls for missing keepalived/ipvsadm, as the Python agent answers.
private struct InfoReply: Encodable {
    var info: AgentInfo
    init(_ info: AgentInfo) { self.info = info }

    enum CodingKeys: String, CodingKey {
        case hostname, haproxyVersion = "haproxy_version", apiVersion = "api_version"
        case keepalivedVersion = "keepalived_version", ipvsadmVersion = "ipvsadm_version"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(info.hostname, forKey: .hostname)
        try container.encode(info.haproxyVersion, forKey: .haproxyVersion)
        try container.encode(info.apiVersion, forKey: .apiVersion)
        try container.encode(info.keepalivedVersion, forKey: .keepalivedVersion)
        try container.encode(info.ipvsadmVersion, forKey: .ipvsadmVersion)
    }
}
