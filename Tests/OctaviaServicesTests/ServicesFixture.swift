import Foundation
import Logging
import OctaviaCore
import OctaviaPersistence

/// An in-memory database with one load balancer, listener, pool and member, shared by the suites.
struct ServicesFixture {
    let store: SQLStore
    let lb: LoadBalancer
    let listener: Listener
    let pool: Pool
    let member: Member

    static let project = ProjectID("services-project")

    /// Runs `body` with a fresh database and always closes it (SQLiteNIO asserts on unclosed connections).
    static func with(_ body: (ServicesFixture) async throws -> Void) async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "t"))
        let lb = LoadBalancer(projectID: project, name: "lb", provisioningStatus: .pendingCreate, vipAddress: "10.0.0.5",
                              vipNetworkID: "net", vipSubnetID: "subnet", provider: "noop_driver")
        let listener = Listener(projectID: project, loadBalancerID: lb.id, name: "web", protocol: .http, protocolPort: 80,
                                allowedCIDRs: ["10.0.0.0/8"])
        let pool = Pool(projectID: project, loadBalancerID: lb.id, name: "pool", protocol: .http, lbAlgorithm: .roundRobin)
        let member = Member(projectID: project, poolID: pool.id, address: "10.0.0.9", protocolPort: 8080)
        do {
            try await store.write { tx in
                try await tx.insert(lb)
                try await tx.insert(listener)
                try await tx.insert(pool)
                try await tx.insert(member)
            }
            try await body(ServicesFixture(store: store, lb: lb, listener: listener, pool: pool, member: member))
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
