import ArgumentParser
import Foundation
import Logging
import OctaviaConfig

/// `octavia <daemon>`: one binary, a subcommand per Octavia daemon, plus all of them in one process.
@main
struct OctaviaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "octavia",
        abstract: "Swift Octavia: load balancing as a service (Octavia v2 API).",
        subcommands: [AllInOne.self, API.self, Worker.self, HealthManager.self, Housekeeping.self, DriverAgentCommand.self, DBManage.self, GenConfig.self,
                      CertificateCommand.self, SecretCommand.self, BenchHeartbeats.self]
    )
}

/// Options every daemon takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("config-file"), help: "The octavia.conf to read.")
    var configFile: String = "/etc/octavia/octavia.conf"

    func load() throws -> OctaviaSettings {
        do {
            return try OctaviaSettings.load(path: configFile)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

struct AllInOne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all-in-one",
        abstract: "API, controller worker, health manager, housekeeping and driver agent in one process (the embedded default).")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.api, .worker, .healthManager, .housekeeping, .driverAgent])
    }
}

struct API: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "The Octavia v2 REST API.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.api])
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "The controller worker (runs jobs from the database).")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.worker])
    }
}

struct HealthManager: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-manager",
        abstract: "Amphora heartbeat listener, operating statuses and statistics, failover of silent amphorae.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.healthManager])
    }
}

struct Housekeeping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "housekeeping", abstract: "Purges expired DELETED rows.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.housekeeping])
    }
}

struct DriverAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driver-agent", abstract: "Status, statistics and get sockets for provider drivers (octavia-lib).")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Daemon.run(settings: try common.load(), roles: [.driverAgent])
    }
}

struct DBManage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-manage", abstract: "Database schema management.", subcommands: [Upgrade.self])

    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "upgrade", abstract: "Apply pending migrations.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let settings = try common.load()
            let logger = Daemon.makeLogger(settings)
            let store = try await Daemon.openStore(settings, logger: logger, migrate: false)
            let applied = try await store.upgrade()
            await store.close()
            print(applied.isEmpty ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}

struct GenConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "genconfig", abstract: "Print the sample octavia.conf.")

    func run() async throws {
        print(OctaviaSettings.sampleConfig(), terminator: "")
    }
}
