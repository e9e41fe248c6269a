import Crypto
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import OctaviaAmphoraWire
import OctaviaSystem

/// The agent's REST API, version 1.0 (Octavia's `amphorae/backends/agent/api_server`).
struct AgentRoutes: Sendable {
    let settings: AgentSettings
    let supervisor: HAProxySupervisor
    let plugger: InterfacePlugger
    let runner = SystemRunner()
    let vips = VIPRegistry()

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AgentErrorMiddleware(logger: plugger.logger))
        router.get("/") { _, _ in Self.json(.ok, AgentVersion(apiVersion: AgentAPI.version)) }
        router.get("/1.0/info") { _, _ in try await self.info() }
        // One parameter name per position: Hummingbird refuses two names at the same place.
        router.put("/1.0/loadbalancer/{first}/{second}/haproxy") { request, context in
            try await self.uploadConfig(request, amphora: context.parameters.get("first") ?? "",
                                        lb: context.parameters.get("second") ?? "")
        }
        router.get("/1.0/loadbalancer/{first}/haproxy") { _, context in
            try self.readConfig(lb: context.parameters.get("first") ?? "")
        }
        router.put("/1.0/loadbalancer/{first}/{second}") { _, context in
            try await self.action(lb: context.parameters.get("first") ?? "", context.parameters.get("second") ?? "")
        }
        router.delete("/1.0/listeners/{first}") { _, context in
            try await self.deleteLoadBalancer(context.parameters.get("first") ?? "")
        }
        router.post("/1.0/plug/vip/{vip}") { request, context in
            try await self.plugVIP(request, vip: context.parameters.get("vip") ?? "")
        }
        router.post("/1.0/plug/network") { request, _ in try await self.plugNetwork(request) }
        return router
    }

    func info() async throws -> Response {
        let version = (try? await runner.run([settings.haproxyCommand, "-v"]))?.output ?? ""
        // "HAProxy version 2.6.12-1+deb12u4 2025/..." → "2.6.12-1+deb12u4"
        let words = version.split(separator: "\n").first?.split(separator: " ") ?? []
        let haproxyVersion = words.count > 2 ? String(words[2]) : "unknown"
        return Self.json(.ok, AgentInfo(hostname: ProcessInfo.processInfo.hostName, haproxyVersion: haproxyVersion,
                                        apiVersion: AgentAPI.version, keepalivedVersion: nil, ipvsadmVersion: nil))
    }

    func uploadConfig(_ request: Request, amphora: String, lb: String) async throws -> Response {
        guard amphora == settings.amphoraID else {
            return Self.error(.badRequest, "Invalid request", "amphora \(amphora) is not this amphora")
        }
        guard Self.isUUID(lb) else { return Self.error(.badRequest, "Invalid request", "invalid load balancer id") }
        let body = try await request.body.collect(upTo: 16 << 20)
        let text = String(buffer: body)
        let directory = "\(settings.basePath)/\(lb)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let candidate = "\(directory)/haproxy.cfg.new"
        try text.write(toFile: candidate, atomically: true, encoding: .utf8)
        let check = try await runner.run([settings.haproxyCommand, "-c", "-f", candidate])
        guard check.succeeded else {
            try? FileManager.default.removeItem(atPath: "\(directory)/haproxy.cfg-failed")
            try? FileManager.default.moveItem(atPath: candidate, toPath: "\(directory)/haproxy.cfg-failed")
            return Self.error(.badRequest, "Invalid request", check.output + check.error)
        }
        // rename(2) replaces the old file atomically: HAProxy never sees half a config.
        guard rename(candidate, "\(directory)/haproxy.cfg") == 0 else {
            return Self.error(.internalServerError, "Error writing configuration", String(cString: strerror(errno)))
        }
        var response = Self.json(.accepted, AgentMessage(message: "OK"))
        response.headers[.eTag] = Insecure.md5Hex(text)
        return response
    }

    func readConfig(lb: String) throws -> Response {
        guard Self.isUUID(lb), let text = try? String(contentsOfFile: "\(settings.basePath)/\(lb)/haproxy.cfg", encoding: .utf8) else {
            return Self.error(.notFound, "Loadbalancer Not Found", "No loadbalancer with UUID: \(lb)")
        }
        var response = Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.eTag] = Insecure.md5Hex(text)
        return response
    }

    func action(lb: String, _ name: String) async throws -> Response {
        guard Self.isUUID(lb) else { return Self.error(.badRequest, "Invalid request", "invalid load balancer id") }
        guard let action = HAProxyAction(rawValue: name) else {
            return Self.error(.badRequest, "Invalid Request", "Unknown action: \(name)")
        }
        do {
            switch action {
            case .start: try await supervisor.start(lb)
            case .reload: try await supervisor.reload(lb)
            case .stop: await supervisor.stop(lb)
            }
        } catch {
            return Self.error(.internalServerError, "Error \(action.rawValue)ing haproxy", "\(error)")
        }
        if action != .stop {
            for (vip, interface) in await vips.all() { plugger.announce(vip, on: interface) }
        }
        return Self.json(.accepted, AgentMessage(message: "OK", details: "Configuration file is valid\nhaproxy daemon for \(lb) \(action.rawValue)ed"))
    }

    func deleteLoadBalancer(_ lb: String) async throws -> Response {
        guard Self.isUUID(lb) else { return Self.json(.ok, AgentMessage(message: "OK")) }
        await supervisor.stop(lb)
        try? FileManager.default.removeItem(atPath: "\(settings.basePath)/\(lb)")
        try? FileManager.default.removeItem(atPath: "\(settings.basePath)/\(lb).sock")
        return Self.json(.ok, AgentMessage(message: "OK"))
    }

    func plugVIP(_ request: Request, vip: String) async throws -> Response {
        guard let body = try? await Self.decode(PlugVIPRequest.self, request) else {
            return Self.error(.badRequest, "Invalid VIP", "the body is not a valid net_info document")
        }
        do {
            let interface = try await plugger.plugVIP(vip, body)
            await vips.record(vip, interface)
            return Self.json(.accepted, AgentMessage(message: "OK", details: "VIP \(vip) plugged on interface \(interface)"))
        } catch InterfacePlugger.Failure.noInterface {
            return Self.error(.notFound, "No suitable network interface found", "No suitable network interface found")
        } catch InterfacePlugger.Failure.invalid(let reason) {
            return Self.error(.badRequest, "Invalid VIP", reason)
        } catch {
            return Self.error(.internalServerError, "Error plugging VIP", "\(error)")
        }
    }

    func plugNetwork(_ request: Request) async throws -> Response {
        guard let body = try? await Self.decode(PlugNetworkRequest.self, request) else {
            return Self.error(.badRequest, "Invalid network", "the body is not a valid port_info document")
        }
        do {
            let interface = try await plugger.plugNetwork(body)
            return Self.json(.accepted, AgentMessage(message: "OK", details: "Plugged on interface \(interface)"))
        } catch InterfacePlugger.Failure.noInterface {
            return Self.error(.notFound, "No suitable network interface found", "No suitable network interface found")
        } catch InterfacePlugger.Failure.invalid(let reason) {
            return Self.error(.badRequest, "Invalid network", reason)
        } catch {
            return Self.error(.internalServerError, "Error plugging network", "\(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(T.self, from: Data(buffer: body))
    }

    static func isUUID(_ s: String) -> Bool { UUID(uuidString: s) != nil }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, _ details: String) -> Response {
        json(status, AgentMessage(message: message, details: details))
    }
}

/// VIPs plugged on this amphora, announced again after every HAProxy start or reload.
actor VIPRegistry {
    private var vips: [String: String] = [:]
    func record(_ vip: String, _ interface: String) { vips[vip] = interface }
    func all() -> [(String, String)] { vips.map { ($0.key, $0.value) } }
}

/// Builds the agent: HTTPS with mutual TLS (the client certificate must chain to the
/// controller CA), on a Unix socket for local amphorae or on `bind_host:bind_port`.
public func makeAgentApplication(settings: AgentSettings, supervisor: HAProxySupervisor, logger: Logger) throws -> some ApplicationProtocol {
    let routes = AgentRoutes(settings: settings, supervisor: supervisor, plugger: InterfacePlugger(logger: logger))
    let address: BindAddress
    if let path = settings.unixSocketPath {
        try? FileManager.default.removeItem(atPath: path)
        address = .unixDomainSocket(path: path)
    } else {
        address = .hostname(settings.bindHost, port: settings.bindPort)
    }
    return Application(
        router: routes.build(),
        server: try .tls(.http1(), tlsConfiguration: try agentTLSConfiguration(settings)),
        configuration: ApplicationConfiguration(address: address, serverName: "amphora-agent"),
        logger: logger)
}

func agentTLSConfiguration(_ settings: AgentSettings) throws -> TLSConfiguration {
    let server = try String(contentsOfFile: settings.serverCertificatePath, encoding: .utf8)
    let ca = try String(contentsOfFile: settings.clientCAPath, encoding: .utf8)
    let chain = try NIOSSLCertificate.fromPEMBytes(Array(server.utf8))
    let key = try NIOSSLPrivateKey(bytes: Array(server.utf8), format: .pem)
    var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    tls.minimumTLSVersion = .tlsv12
    tls.certificateVerification = .noHostnameVerification
    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
    return tls
}

/// Any unexpected error becomes the agent's JSON error body with a 500, and is logged;
/// Hummingbird's own HTTP errors (unknown route: 404) pass through.
struct AgentErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            throw error
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return AgentRoutes.error(.internalServerError, "Internal error", "\(error)")
        }
    }
}
