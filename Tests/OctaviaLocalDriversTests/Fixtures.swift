import Foundation
import Logging
import OctaviaCore
import OctaviaPersistence
import OctaviaSystem
@testable import OctaviaLocalDrivers

/// Shared test setup: networks with random ids and a private in-memory SQLite store.
enum Fixtures {
    static let logger: Logger = {
        var logger = Logger(label: "octavia.tests.local-drivers")
        logger.logLevel = .warning
        return logger
    }()

    static func suffix() -> String { String(UUID().uuidString.lowercased().prefix(8)) }

    /// A /24 in 10.x that the test owns (only ever reachable inside its own bridge).
    static func network(_ name: String, third: Int, gateway: Bool = true) -> LocalNetwork {
        let second = Int.random(in: 100...199)
        return LocalNetwork(name: name, networkID: UUID().uuidString.lowercased(), subnetID: UUID().uuidString.lowercased(),
                            subnetName: "\(name)-subnet", cidr: "10.\(second).\(third).0/24",
                            gateway: gateway ? "10.\(second).\(third).1" : nil,
                            allocationPoolStart: "10.\(second).\(third).10", allocationPoolEnd: "10.\(second).\(third).30")
    }

    /// Runs `body` with a private in-memory SQLite store, closed afterwards (SQLite insists).
    static func withStore<T>(_ body: (SQLStore) async throws -> T) async throws -> T {
        let store = try await SQLStore.openSQLite(path: nil, logger: logger)
        return try await Dataplane.withCleanup { try await body(store) } cleanup: { await store.close() }
    }

    static func loadBalancer(subnetID: String? = nil, networkID: String? = nil, address: String? = nil,
                             portID: String? = nil, topology: Topology = .single) -> LoadBalancer {
        LoadBalancer(projectID: ProjectID("test-project"), vipAddress: address, vipNetworkID: networkID,
                     vipSubnetID: subnetID, vipPortID: portID, topology: topology)
    }
}

/// Root-only tests: they create namespaces. Outside CI they skip when not possible; under CI=true they fail.
enum Dataplane {
    static var isCI: Bool { TestEnvironment.isCI }

    static var available: Bool {
        geteuid() == 0 && (try? SystemRunner.resolve("ip")) != nil && (try? SystemRunner.resolve("setsid")) != nil
            && (try? SystemRunner.resolve("unshare")) != nil
    }

    /// Trait condition: run when possible, or in CI so that the missing prerequisite is reported.
    static var shouldRun: Bool { available || isCI }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "needs root, iproute2 (ip netns), setsid and unshare" }
    }

    static func require() throws {
        guard available else { throw Unavailable() }
    }

    /// Runs `body`, then `cleanup` whether or not `body` threw (an async `defer`).
    static func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
        do {
            let result = try await body()
            await cleanup()
            return result
        } catch {
            await cleanup()
            throw error
        }
    }

    @discardableResult
    static func ip(_ arguments: String...) async throws -> CommandResult {
        try await SystemRunner().check(["ip"] + arguments)
    }
}
