import Foundation
import OctaviaCore
@testable import OctaviaWorker
import Testing

/// Load balancers of the `noop_driver` provider: every job only settles statuses, no amphora.
struct ProviderFlowTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    func noopLB(_ rig: WorkerRig, pool: Pool.ID? = nil) async throws -> LoadBalancer {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID,
                              vipSubnetID: subnet.id, provider: "noop_driver")
        try await rig.store.write { tx in
            try await tx.insert(lb)
            if let pool {
                try await tx.insert(Pool(id: pool, projectID: project, loadBalancerID: lb.id, provisioningStatus: .pendingCreate,
                                         operatingStatus: .offline, protocol: .http, lbAlgorithm: .sourceIPPort))
            }
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        return lb
    }

    @Test func providerPathByName() {
        #expect(ProviderPath(provider: "amphora") == .amphora)
        #expect(ProviderPath(provider: "octavia") == .amphora)
        #expect(ProviderPath(provider: "") == .amphora)
        #expect(ProviderPath(provider: "noop_driver") == .statusOnly)
    }

    @Test func createGoesActiveWithoutAmphora() async throws {
        try await WorkerRig.with(subnets: [subnet]) { rig in
            let poolID = Pool.ID.generate()
            let lb = try await noopLB(rig, pool: poolID)
            try await rig.runOneJob()
            let graph = try #require(try await rig.store.reader.graph(lb.id))
            #expect(graph.loadBalancer.provisioningStatus == .active)
            #expect(graph.loadBalancer.operatingStatus == .online)
            #expect(graph.pools.first?.provisioningStatus == .active)
            #expect(graph.amphorae.isEmpty)
            #expect(await rig.compute.instances.isEmpty)
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }

    @Test func childChangeAndCascadeDelete() async throws {
        try await WorkerRig.with(subnets: [subnet]) { rig in
            let lb = try await noopLB(rig)
            try await rig.runOneJob()
            let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .pendingCreate,
                                    operatingStatus: .offline, protocol: .tcp, protocolPort: 80)
            try await rig.store.write { tx in
                try await tx.insert(listener)
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.enqueue(.changeObject(lb.id, .listener(listener.id), .create))
            }
            try await rig.runOneJob()
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)

            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingDelete)
                try await tx.enqueue(.deleteLoadBalancer(lb.id, cascade: true))
            }
            try await rig.runOneJob()
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .deleted)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id) == nil)
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }

    @Test func failoverLeavesItActive() async throws {
        try await WorkerRig.with(subnets: [subnet]) { rig in
            let lb = try await noopLB(rig)
            try await rig.runOneJob()
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.enqueue(.failoverLoadBalancer(lb.id))
            }
            try await rig.runOneJob()
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
            #expect(await rig.compute.instances.isEmpty)
        }
    }
}
