import Foundation
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

/// The create flow after a fully-populated create: every sub-object settles with the load balancer.
struct GraphCreateWorkerTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    struct Graph {
        let lb: LoadBalancer, listener: Listener, pool: Pool, member: Member, monitor: HealthMonitor
        let policy: L7Policy, rule: L7Rule
    }

    /// What the API inserts for one POST: everything PENDING_CREATE (policy disabled), one job.
    func enqueueGraph(_ store: SQLStore) async throws -> Graph {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID, vipSubnetID: subnet.id)
        let pool = Pool(projectID: project, loadBalancerID: lb.id, name: "blue", provisioningStatus: .pendingCreate,
                        protocol: .http, lbAlgorithm: .roundRobin)
        let member = Member(projectID: project, poolID: pool.id, provisioningStatus: .pendingCreate, operatingStatus: .offline,
                            address: "10.9.0.10", protocolPort: 8080)
        let monitor = HealthMonitor(projectID: project, poolID: pool.id, provisioningStatus: .pendingCreate, type: .http,
                                    delay: 5, timeout: 3, maxRetries: 2, httpMethod: .get, urlPath: "/", expectedCodes: "200")
        let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .pendingCreate, protocol: .http,
                                protocolPort: 80, defaultPoolID: pool.id)
        let policy = L7Policy(projectID: project, listenerID: listener.id, adminStateUp: false, provisioningStatus: .pendingCreate,
                              action: .redirectToPool, redirectPoolID: pool.id, position: 1)
        let rule = L7Rule(projectID: project, l7PolicyID: policy.id, type: .path, compareType: .startsWith, value: "/api",
                          provisioningStatus: .pendingCreate)
        try await store.write { tx in
            try await tx.insert(lb)
            try await tx.insert(pool); try await tx.insert(member); try await tx.insert(monitor)
            try await tx.insert(listener); try await tx.insert(policy); try await tx.insert(rule)
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        return Graph(lb: lb, listener: listener, pool: pool, member: member, monitor: monitor, policy: policy, rule: rule)
    }

    func withWorker(_ body: (SQLStore, ControllerWorker, NoopAmphoraDriver, NoopComputeDriver) async throws -> Void) async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "t"))
        let amphora = NoopAmphoraDriver(), compute = NoopComputeDriver()
        let deps = WorkerDependencies(store: store, compute: compute, network: NoopNetworkDriver(subnets: [subnet]),
                                      amphora: amphora, certificates: NoopCertificateGenerator(), settings: WorkerSettings())
        let worker = ControllerWorker(dependencies: deps, logger: Logger(label: "t"))
        do { try await body(store, worker, amphora, compute) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test func createMarksEverySubObjectActiveWithItsOperatingStatus() async throws {
        try await withWorker { store, worker, amphora, _ in
            let g = try await enqueueGraph(store)
            // MUT
            let job = try #require(try await worker.claim())
            await worker.process(job)
            // validate
            let r = store.reader
            #expect(try await r.fetch(LoadBalancer.self, id: g.lb.id)?.provisioningStatus == .active)
            let listener = try #require(try await r.fetch(Listener.self, id: g.listener.id))
            #expect((listener.provisioningStatus, listener.operatingStatus) == (.active, .online))
            let pool = try #require(try await r.fetch(Pool.self, id: g.pool.id))
            #expect((pool.provisioningStatus, pool.operatingStatus) == (.active, .online))
            let member = try #require(try await r.fetch(Member.self, id: g.member.id))
            #expect((member.provisioningStatus, member.operatingStatus) == (.active, .offline))
            let monitor = try #require(try await r.fetch(HealthMonitor.self, id: g.monitor.id))
            #expect((monitor.provisioningStatus, monitor.operatingStatus) == (.active, .online))
            let policy = try #require(try await r.fetch(L7Policy.self, id: g.policy.id))
            #expect((policy.provisioningStatus, policy.operatingStatus) == (.active, .offline))
            let rule = try #require(try await r.fetch(L7Rule.self, id: g.rule.id))
            #expect((rule.provisioningStatus, rule.operatingStatus) == (.active, .online))
            // The one push carried the whole graph.
            let config = try #require(await amphora.configs[g.lb.id])
            #expect(config.contains(":80"))
            #expect(config.contains("10.9.0.10:8080"))
            #expect(try await store.jobs.pendingCount() == 0)
        }
    }

    @Test func failedCreateMarksEverySubObjectError() async throws {
        try await withWorker { store, worker, _, compute in
            await compute.setFailBuild(OctaviaError(.internalError, "no capacity"))
            let g = try await enqueueGraph(store)
            // MUT
            let job = try #require(try await worker.claim())
            await worker.process(job)
            // validate
            let r = store.reader
            #expect(try await r.fetch(LoadBalancer.self, id: g.lb.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(Listener.self, id: g.listener.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(Pool.self, id: g.pool.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(Member.self, id: g.member.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(HealthMonitor.self, id: g.monitor.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(L7Policy.self, id: g.policy.id)?.provisioningStatus == .error)
            #expect(try await r.fetch(L7Rule.self, id: g.rule.id)?.provisioningStatus == .error)
        }
    }
}
