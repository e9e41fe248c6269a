import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import OctaviaSystem
import ServiceLifecycle

/// The request context for the agent: larger bodies than Hummingbird's 2 MiB default.
struct AgentRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}

/// Builds the agent: HTTPS with mutual TLS (client certificates must chain to the configured CA),
/// on TCP or, for local amphorae, on a Unix socket. On graceful shutdown every HAProxy the agent
/// started is stopped.
/// - Parameters:
///   - settings: the parsed agent configuration.
///   - logger: used by the server and the HAProxy supervisor.
public func makeAgentApplication(settings: AgentSettings, logger: Logger) throws -> some ApplicationProtocol {
    let supervisor = HAProxySupervisor(settings: settings, logger: logger)
    return try makeAgentApplication(settings: settings, supervisor: supervisor, logger: logger)
}

/// As ``makeAgentApplication(settings:logger:)`` with a supervisor the caller keeps (tests inspect it).
public func makeAgentApplication(settings: AgentSettings, supervisor: HAProxySupervisor,
                                 logger: Logger) throws -> some ApplicationProtocol {
    let handlers = AgentHandlers(settings: settings, supervisor: supervisor, logger: logger)
    let router = buildAgentRouter(handlers, context: AgentRequestContext.self)
    let tls = try agentTLSConfiguration(settings: settings, serverCertificate: handlers.serverCertificate)
    let address: BindAddress
    if let socket = settings.unixSocketPath {
        try? FileManager.default.removeItem(atPath: socket)
        address = .unixDomainSocket(path: socket)
    } else {
        address = .hostname(settings.bindHost, port: settings.bindPort)
    }
    if let pidFile = settings.pidFile {
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: pidFile))
    }
    return Application(
        router: router,
        server: try .tls(.http1(), tlsConfiguration: tls),
        configuration: ApplicationConfiguration(address: address, serverName: "octavia-amphora-agent"),
        services: [AgentShutdownService(supervisor: supervisor, pidFile: settings.pidFile)],
        logger: logger
    )
}

/// Server certificate and key from one PEM file; peers must present a certificate issued by the client CA.
/// Each handshake takes the pair `serverCertificate` holds at that moment, so a rotated certificate
/// applies to new connections without rebuilding the server.
func agentTLSConfiguration(settings: AgentSettings, serverCertificate: AgentServerCertificate) throws -> TLSConfiguration {
    let identity = try serverCertificate.load()
    var tls = TLSConfiguration.makeServerConfiguration(certificateChain: identity.chain.map { .certificate($0) },
                                                       privateKey: .privateKey(identity.key))
    tls.sslContextCallback = serverCertificate.contextCallback
    tls.trustRoots = .file(settings.clientCAPath)
    tls.certificateVerification = .noHostnameVerification
    tls.minimumTLSVersion = .tlsv12
    return tls
}

/// On graceful shutdown: stops all HAProxy instances, so no data plane outlives its agent, then
/// removes the agent's pid file (only while it still names this process), so a stale pid file
/// means the agent did not exit cleanly.
struct AgentShutdownService: Service {
    let supervisor: HAProxySupervisor
    let pidFile: String?

    func run() async throws {
        try? await gracefulShutdown()
        await supervisor.stopAll()
        if let pidFile, ProcessTable.readPIDFile(pidFile) == getpid() {
            try? FileManager.default.removeItem(atPath: pidFile)
        }
    }
}
