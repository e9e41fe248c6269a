import ArgumentParser
import Foundation
import Logging
import OctaviaAmphoraAgent
import ServiceLifecycle

/// The agent inside an amphora: serves the Octavia agent API and owns HAProxy.
@main
struct AmphoraAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "amphora-agent", abstract: "Octavia amphora agent.")

    @Option(name: .customLong("config-file"), help: "The agent configuration file.")
    var configFile: String = "/etc/octavia/amphora-agent.conf"

    func run() async throws {
        let settings: AgentSettings
        do { settings = try AgentSettings(configFile: configFile) } catch { throw ValidationError("\(error)") }
        var logger = Logger(label: "amphora-agent")
        logger[metadataKey: "amphora"] = "\(settings.amphoraID)"
        raiseFileLimit()
        if let pidFile = settings.pidFile {
            try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        }
        let supervisor = HAProxySupervisor(basePath: settings.basePath, haproxyCommand: settings.haproxyCommand, logger: logger)
        let app = try makeAgentApplication(settings: settings, supervisor: supervisor, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await supervisor.stopAll()
            throw error
        }
        // Nothing we started may outlive us.
        await supervisor.stopAll()
        logger.info("agent stopped")
    }

    /// HAProxy sizes its file limit from maxconn; give it the hard limit we have.
    func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
