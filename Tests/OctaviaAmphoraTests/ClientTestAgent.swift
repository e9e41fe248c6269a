import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import OctaviaAmphoraWire
import ServiceLifecycle

/// A stand-in amphora agent for the client tests: the agent's TLS settings (server cert, client
/// certs required and checked against the client CA) and the routes the controller calls, answering
/// as Octavia's agent does. It records what it received.
actor ClientTestAgent {
    struct Call: Sendable, Equatable {
        var method: String
        var path: String
        var userAgent: String?
        var body: String
    }

    private(set) var calls: [Call] = []
    /// How many `plug/network` calls answer 404 "No suitable network interface found" first.
    private var missingInterfaceAnswers: Int

    init(missingInterfaceAnswers: Int = 0) { self.missingInterfaceAnswers = missingInterfaceAnswers }

    private func record(_ request: Request, body: String) {
        calls.append(Call(method: request.method.rawValue, path: request.uri.path,
                          userAgent: request.headers[.userAgent], body: body))
    }

    private func takeMissingInterface() -> Bool {
        guard missingInterfaceAnswers > 0 else { return false }
        missingInterfaceAnswers -= 1
        return true
    }

    /// Runs the agent at `address` while `body` runs, then stops it. `body` gets the bound TCP port (nil for sockets).
    func serve<T: Sendable>(
        at address: BindAddress, serverPEM: String, clientCAPEM: String,
        _ body: @Sendable (_ port: Int?) async throws -> T
    ) async throws -> T {
        let (started, running) = AsyncStream<Int?>.makeStream()
        let app = Application(
            router: makeRouter(), server: try .tls(.http1(), tlsConfiguration: Self.tls(serverPEM, clientCAPEM)),
            configuration: ApplicationConfiguration(address: address, serverName: "test-agent"),
            onServerRunning: { channel in running.yield(channel.localAddress?.port) },
            logger: Logger(label: "test-agent"))
        // Stopped by graceful shutdown, as SIGTERM stops the real agent (cancelling logs spurious errors).
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: app.logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { running.finish() }
                try await services.run()
            }
            var ports = started.makeAsyncIterator()
            guard let port = await ports.next() else {
                try await group.next()  // rethrows why the server stopped
                throw CancellationError()
            }
            let result: Result<T, any Error>
            do { result = .success(try await body(port)) } catch { result = .failure(error) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// The agent's TLS settings (Octavia: `cert_reqs=CERT_REQUIRED`, `ca_certs=agent_server_ca`).
    static func tls(_ serverPEM: String, _ clientCAPEM: String) throws -> TLSConfiguration {
        let chain = try LocalCertsFixture.blocks(serverPEM, "CERTIFICATE")
            .map { try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem) }
        let keyPEM = try LocalCertsFixture.blocks(serverPEM, "PRIVATE KEY").joined()
        let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(
            try LocalCertsFixture.blocks(clientCAPEM, "CERTIFICATE").map { try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem) })
        return tls
    }

    private nonisolated func makeRouter() -> Router<BasicRequestContext> {
        // Hummingbird needs one parameter name per position: {first} is the amphora or LB id, {second} the LB id or action.
        let router = Router()
        router.get("/") { request, _ in
            await self.record(request, body: "")
            return Self.json(.ok, #"{"api_version": "1.0"}"#)
        }
        router.post("/1.0/plug/vip/{vip}") { request, _ in
            await self.record(request, body: try await Self.text(request))
            return Self.json(.accepted, #"{"message": "OK", "details": "VIP plugged"}"#)
        }
        router.post("/1.0/plug/network") { request, _ in
            await self.record(request, body: try await Self.text(request))
            if await self.takeMissingInterface() {
                return Self.json(.notFound, #"{"message": "Error plugging network", "details": "No suitable network interface found"}"#)
            }
            return Self.json(.accepted, #"{"message": "OK", "details": "Plugged on interface eth2"}"#)
        }
        router.put("/1.0/loadbalancer/{first}/{second}/haproxy") { request, _ in
            let config = try await Self.text(request)
            await self.record(request, body: config)
            if config.contains("invalid") {
                return Self.json(.badRequest, #"{"message": "Invalid request", "details": "[ALERT] parsing [haproxy.cfg:1]: unknown keyword 'invalid'"}"#)
            }
            return Self.json(.accepted, #"{"message": "OK"}"#)
        }
        router.put("/1.0/loadbalancer/{first}/{second}") { request, _ in
            await self.record(request, body: "")
            return Self.json(.accepted, #"{"message": "OK", "details": "Listeners reloaded"}"#)
        }
        router.delete("/1.0/listeners/{lb}") { request, _ in
            await self.record(request, body: "")
            return Self.json(.ok, #"{"message": "OK"}"#)
        }
        return router
    }

    private static func text(_ request: Request) async throws -> String {
        String(buffer: try await request.body.collect(upTo: 1 << 20))
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
