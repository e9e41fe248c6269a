import Foundation
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

struct ControllerWorkerTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    typealias Rig = WorkerRig

    func withRig(_ body: (Rig) async throws -> Void) async throws {
        try await WorkerRig.with(subnets: [subnet], body)
    }

    func runOneJob(_ rig: Rig) async throws { try await rig.runOneJob() }

    /// Inserts an LB as the API would, with its create job.
    func enqueueLB(_ rig: Rig) async throws -> LoadBalancer {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID, vipSubnetID: subnet.id)
        try await rig.store.write { tx in
            try await tx.insert(lb)
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        return lb
    }

    @Test func createLoadBalancerEndsActiveWithOneAllocatedAmphora() async throws {
        try await withRig { (rig: Rig) async throws in
            let lb = try await enqueueLB(rig)
            try await runOneJob(rig)
            let graph = try #require(try await rig.store.reader.graph(lb.id))
            #expect(graph.loadBalancer.provisioningStatus == .active)
            #expect(graph.amphorae.count == 1)
            #expect(graph.amphorae.first?.status == .allocated)
            #expect(graph.amphorae.first?.role == .standalone)
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }

    @Test func failedBuildRevertsToErrorAndLeavesNoInstance() async throws {
        try await withRig { (rig: Rig) async throws in
            await rig.compute.setFailBuild(OctaviaError(.internalError, "no capacity"))
            let lb = try await enqueueLB(rig)
            try await runOneJob(rig)
            let stored = try #require(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id))
            #expect(stored.provisioningStatus == .error)
            let amphorae = try await rig.store.reader.list(Amphora.self, ListQuery())
            #expect(amphorae.allSatisfy { $0.status == .deleted })
            #expect(await rig.compute.instances.isEmpty)
        }
    }

    @Test func childChangeFailureMarksTargetErrorAndParentsActive() async throws {
        try await withRig { (rig: Rig) async throws in
            let lb = try await enqueueLB(rig)
            try await runOneJob(rig)
            // A listener create as the API does it: LB locked, listener pending.
            let listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .http, protocolPort: 80)
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.insert(listener)
                try await tx.enqueue(.changeObject(lb.id, .listener(listener.id), .create))
            }
            await rig.amphora.setFailApply(OctaviaError(.internalError, "haproxy refused config"))
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .error)
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
        }
    }

    @Test func childChangeSuccessPushesConfigAndDeleteRemovesRows() async throws {
        try await withRig { (rig: Rig) async throws in
            let lb = try await enqueueLB(rig)
            try await runOneJob(rig)
            let listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .http, protocolPort: 80)
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.insert(listener)
                try await tx.enqueue(.changeObject(lb.id, .listener(listener.id), .create))
            }
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
            #expect(await rig.amphora.configs[lb.id]?.contains("frontend \(listener.id)") == true)
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingDelete, operating: nil)
                try await tx.enqueue(.changeObject(lb.id, .listener(listener.id), .delete))
            }
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id) == nil)
            // No listener left: HAProxy is stopped rather than given an empty config.
            #expect(await rig.amphora.configs[lb.id] == nil)
        }
    }

    @Test func jobOfADeadWorkerIsTakenOverAndFinished() async throws {
        try await withRig { (rig: Rig) async throws in
            let lb = try await enqueueLB(rig)
            // A worker that claimed the job and died (its pid does not exist).
            let ghost = WorkerIdentity(host: ProcessInfo.processInfo.hostName, pid: Int32.max - 7, startedAt: 1)
            _ = try #require(try await rig.store.jobs.claim(by: ghost, lease: .seconds(3600), liveness: { _ in .alive }))
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
        }
    }

    @Test func cascadeDeleteRemovesEverything() async throws {
        try await withRig { (rig: Rig) async throws in
            let lb = try await enqueueLB(rig)
            try await runOneJob(rig)
            let pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http, lbAlgorithm: .roundRobin)
            let member = Member(projectID: project, poolID: pool.id, provisioningStatus: .active, address: "10.9.0.9", protocolPort: 80)
            try await rig.store.write { tx in
                try await tx.insert(pool); try await tx.insert(member)
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingDelete)
                try await tx.enqueue(.deleteLoadBalancer(lb.id, cascade: true))
            }
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .deleted)
            #expect(try await rig.store.reader.fetch(Pool.self, id: pool.id) == nil)
            #expect(try await rig.store.reader.fetch(Member.self, id: member.id) == nil)
            #expect(await rig.compute.instances.isEmpty)
            #expect(try await rig.store.reader.graph(lb.id) == nil)
        }
    }

    @Test func interruptedFlowIsNotRevertedAndStaysQueued() async throws {
        try await withRig { (rig: Rig) async throws in
            await rig.compute.setBuildDelay(.seconds(30))
            let lb = try await enqueueLB(rig)
            let job = try #require(try await rig.worker.claim())
            let running = Task { await rig.worker.process(job) }
            // Let the flow reach the slow build, then stop it as a shutdown would.
            try await Task.sleep(for: .milliseconds(200))
            running.cancel()
            await running.value
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .pendingCreate)
            #expect(try await rig.store.jobs.pendingCount() == 1)
        }
    }
}
