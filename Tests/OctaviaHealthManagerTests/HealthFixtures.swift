import Foundation
import Testing
import Logging
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaPersistence
@testable import OctaviaHealthManager

/// One ACTIVE load balancer with an amphora, one HTTP listener, one pool and two members in an
/// in-memory SQLite store.
struct HealthFixture {
    static let key = "test-heartbeat-key"
    let store: SQLStore
    let lb: LoadBalancer
    let amphora: Amphora
    let listener: Listener
    let pool: Pool
    let members: [Member]

    /// Runs `body` with a fresh fixture and closes its store afterwards, also when `body` fails.
    static func run(lbStatus: ProvisioningStatus = .active, _ body: (HealthFixture) async throws -> Void) async throws {
        let fixture = try await make(lbStatus: lbStatus)
        do { try await body(fixture) } catch {
            await fixture.store.close()
            throw error
        }
        await fixture.store.close()
    }

    static func make(lbStatus: ProvisioningStatus = .active, store existing: SQLStore? = nil) async throws -> HealthFixture {
        let store = if let existing { existing } else { try await SQLStore.openSQLite(path: nil, logger: Logger(label: "test")) }
        let project = ProjectID("p1")
        let lb = LoadBalancer(projectID: project, provisioningStatus: lbStatus, operatingStatus: .online, vipAddress: "10.0.0.5")
        let amphora = Amphora(loadBalancerID: lb.id, role: .standalone, status: .allocated)
        let pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, operatingStatus: .online,
                        protocol: .http, lbAlgorithm: .roundRobin)
        let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, operatingStatus: .online,
                                protocol: .http, protocolPort: 80, defaultPoolID: pool.id)
        let members = (1...2).map { n in
            Member(projectID: project, poolID: pool.id, provisioningStatus: .active, operatingStatus: .online,
                   address: "10.0.1.\(n)", protocolPort: 80)
        }
        try await store.write { tx in
            try await tx.insert(lb)
            try await tx.insert(amphora)
            try await tx.insert(pool)
            try await tx.insert(listener)
            for member in members { try await tx.insert(member) }
        }
        return HealthFixture(store: store, lb: lb, amphora: amphora, listener: listener, pool: pool, members: members)
    }

    /// A heartbeat with every object healthy, member statuses overridable.
    func message(members statuses: [HeartbeatMemberStatus]? = nil, poolStatus: HeartbeatPoolStatus = .up,
                 stats: HeartbeatMessage.Stats = .init(), sequence: Int64 = 0) -> HeartbeatMessage {
        let memberStatuses = statuses ?? members.map { _ in .up }
        var entries: [String: HeartbeatMemberStatus] = [:]
        for (member, status) in zip(members, memberStatuses) { entries[member.id.rawValue] = status }
        return HeartbeatMessage(
            amphoraID: amphora.id.rawValue, sequence: sequence,
            listeners: [listener.id.rawValue: .init(status: .open, stats: stats)],
            pools: ["\(pool.id):\(listener.id)": .init(status: poolStatus, members: entries)])
    }

    func datagram(_ message: HeartbeatMessage, key: String = HealthFixture.key) throws -> HeartbeatProcessor.Datagram {
        HeartbeatProcessor.Datagram(bytes: try HeartbeatEnvelope.wrap(message, key: key))
    }

    func processor(configuration: HealthManagerConfiguration = HealthFixture.configuration()) -> HeartbeatProcessor {
        HeartbeatProcessor(store: store, configuration: configuration, logger: Logger(label: "test"))
    }

    static func configuration(threshold: Int? = nil) -> HealthManagerConfiguration {
        HealthManagerConfiguration(bindPort: 0, heartbeatKey: key, heartbeatInterval: .seconds(10),
                                   heartbeatTimeout: .seconds(60), failoverThreshold: threshold, flushInterval: .milliseconds(20))
    }

    /// The load balancer's statuses as the health manager sees them.
    func view() async throws -> LoadBalancerHealthView {
        try #require(try await store.healthViews(of: [amphora.id])[amphora.id]?.loadBalancer)
    }
}
