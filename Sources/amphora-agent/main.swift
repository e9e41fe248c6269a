import ArgumentParser
import Logging
import OctaviaAmphoraAgent
import ServiceLifecycle

/// The amphora agent: HTTPS (mutual TLS) API that owns HAProxy inside one amphora.
struct AmphoraAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "amphora-agent",
                                                    abstract: "Octavia amphora agent (HAProxy control API).")

    @Option(name: .customLong("config-file"), help: "Agent configuration file.")
    var configFile = "/etc/octavia/amphora-agent.conf"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws { try await serve() }

    /// Named separately so the top-level call below cannot resolve to the synchronous `run()`.
    func serve() async throws {
        var logger = Logger(label: "octavia.amphora-agent")
        logger.logLevel = logLevel
        let settings = try AgentSettings(configFile: configFile)
        logger[metadataKey: "amphora"] = "\(settings.amphoraID)"
        let app = try makeAgentApplication(settings: settings, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let heartbeat = try HeartbeatSenderSettings.load(configFile: configFile) {
            services.append(.init(service: HeartbeatSender(settings: heartbeat, amphoraID: settings.amphoraID,
                                                           basePath: settings.basePath, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

// Top-level code (this file is main.swift): parse, then call the async body directly.
do {
    let command = try AmphoraAgentCommand.parse()
    try await command.serve()
} catch {
    AmphoraAgentCommand.exit(withError: error)
}
