import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `GET /metrics` in Prometheus text format on its own address, so scraping never competes with
/// (or needs the authentication of) the daemon's own API.
public struct MetricsEndpoint: Service {
    let registry: PrometheusCollectorRegistry
    let host: String
    let port: Int
    let logger: Logger

    public init(registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger) {
        self.registry = registry
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The router alone, for tests that do not need a socket.
    public static func router(registry: PrometheusCollectorRegistry) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return router
    }

    public func run() async throws {
        let app = Application(
            router: Self.router(registry: registry),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
        logger.info("metrics endpoint listening", metadata: ["address": "\(host):\(port)"])
        try await app.run()
    }
}
