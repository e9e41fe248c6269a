import Foundation
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

/// Load balancer / amphora failover, amphora delete and batch member flows on the noop drivers.
struct FailoverFlowTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    typealias Rig = WorkerRig

    func withRig(_ body: (Rig) async throws -> Void) async throws {
        try await WorkerRig.with(subnets: [subnet], logLevel: .critical, body)
    }

    func runOneJob(_ rig: Rig) async throws { try await rig.runOneJob() }

    /// An ACTIVE load balancer built by the create flow, with its one amphora.
    func activeLB(_ rig: Rig) async throws -> (LoadBalancer, Amphora) {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID, vipSubnetID: subnet.id)
        try await rig.store.write { tx in
            try await tx.insert(lb)
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        try await runOneJob(rig)
        let amphorae = try await amphorae(rig, lb.id)
        #expect(amphorae.count == 1)
        return (lb, try #require(amphorae.first))
    }

    func amphorae(_ rig: Rig, _ lb: LoadBalancer.ID) async throws -> [Amphora] {
        try await rig.store.reader.list(Amphora.self, ListQuery(filters: [("load_balancer_id", .string(lb.rawValue))]))
    }

    func enqueue(_ rig: Rig, _ action: JobAction, from: Set<ProvisioningStatus> = [.active, .error]) async throws {
        try await rig.store.write { tx in
            #expect(try await tx.testAndSetStatus(action.loadBalancerID, expected: from, new: .pendingUpdate))
            try await tx.enqueue(action)
        }
    }

    func status(_ rig: Rig, _ lb: LoadBalancer.ID) async throws -> ProvisioningStatus? {
        try await rig.store.reader.fetch(LoadBalancer.self, id: lb)?.provisioningStatus
    }

    @Test func loadBalancerFailoverReplacesTheAmphora() async throws {
        try await withRig { rig in
            let (lb, old) = try await activeLB(rig)
            let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http,
                                    protocolPort: 80)
            try await rig.store.write { try await $0.insert(listener) }
            try await enqueue(rig, .failoverLoadBalancer(lb.id))
            try await runOneJob(rig)

            #expect(try await status(rig, lb.id) == .active)
            let rows = try await amphorae(rig, lb.id)
            #expect(rows.first { $0.id == old.id }?.status == .deleted)
            let replacement = try #require(rows.first { $0.id != old.id })
            #expect(replacement.status == .allocated)
            #expect(replacement.role == .standalone)
            #expect(replacement.computeID != nil && replacement.haIP == "10.9.0.50")
            #expect(await rig.compute.instances == ["noop-\(replacement.id)"])
            // The new amphora got the VIP and the configuration; the old one was not asked for anything.
            let calls = await rig.amphora.calls
            #expect(calls.contains("plugVIP \(replacement.id) 10.9.0.50"))
            #expect(calls.last == "applyHAProxyConfig \(replacement.id)")
            #expect(!calls.contains("applyHAProxyConfig \(old.id)"))
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }

    /// Where a replacement build can break: before an instance exists, or with the instance booted
    /// and the VIP plugged (the configuration push).
    enum FailurePoint: String, CaseIterable, Sendable {
        case computeCreate, configurationPush

        func arm(_ rig: Rig, _ on: Bool) async {
            let error = on ? OctaviaError(.internalError, "injected \(rawValue) failure") : nil
            switch self {
            case .computeCreate: await rig.compute.setFailBuild(error)
            case .configurationPush: await rig.amphora.setFailApply(error)
            }
        }
    }

    @Test(arguments: FailurePoint.allCases)
    func failedFailoverLeavesErrorWithNothingLeakedThenASecondFailoverRepairs(_ point: FailurePoint) async throws {
        try await withRig { rig in
            let (lb, old) = try await activeLB(rig)
            let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http,
                                    protocolPort: 80)
            try await rig.store.write { try await $0.insert(listener) }
            try await rig.store.apply(HealthUpdateBatch(liveness: [old.id: Date()]))
            await point.arm(rig, true)
            try await enqueue(rig, .failoverLoadBalancer(lb.id))
            try await runOneJob(rig)

            #expect(try await status(rig, lb.id) == .error)
            let afterFailure = try await amphorae(rig, lb.id)
            // Octavia: the amphora being replaced goes to ERROR with the LB; its health row stays busy
            // so the stale sweep does not start another failover on its own.
            #expect(afterFailure.first { $0.id == old.id }?.status == .error)
            #expect(try await rig.store.amphoraHealth(old.id)?.busy == true)
            // The half-built replacement is gone: row DELETED, instance, plugs and health row removed.
            let replacement = try #require(afterFailure.first { $0.id != old.id })
            #expect(afterFailure.count == 2 && replacement.status == .deleted)
            #expect(await rig.compute.instances == ["noop-\(old.id)"])
            #expect(await rig.network.pluggedAmphorae == [old.id])
            #expect(try await rig.store.amphoraHealth(replacement.id) == nil)
            if point == .configurationPush {
                #expect(await rig.amphora.calls.contains("plugVIP \(replacement.id) 10.9.0.50"))
                #expect(await rig.compute.calls.contains("delete noop-\(replacement.id)"))
            }
            #expect(try await rig.store.jobs.pendingCount() == 0)

            // An ERROR load balancer may be failed over again; this time it works.
            await point.arm(rig, false)
            try await enqueue(rig, .failoverLoadBalancer(lb.id))
            try await runOneJob(rig)
            #expect(try await status(rig, lb.id) == .active)
            let live = try await amphorae(rig, lb.id).filter { $0.status != .deleted }
            let repaired = try #require(live.first)
            #expect(live.count == 1 && repaired.status == .allocated && repaired.id != old.id)
            #expect(await rig.compute.instances == ["noop-\(repaired.id)"])
            #expect(await rig.network.pluggedAmphorae == [repaired.id])
            #expect(await rig.amphora.calls.last == "applyHAProxyConfig \(repaired.id)")
            #expect(try await rig.store.reader.fetch(Amphora.self, id: old.id)?.status == .deleted)
            #expect(try await rig.store.amphoraHealth(old.id) == nil)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
        }
    }

    /// Octavia's MarkAmphoraHealthBusy / DisableAmphoraHealthMonitoring: while a failover runs the old
    /// amphora's row is busy (the sweep skips it), afterwards the row is gone with the amphora, and the
    /// replacement has none until its own first heartbeat (so it is never failed over for silence it
    /// had no chance to break).
    @Test func failoverMarksTheOldHealthRowBusyThenRemovesIt() async throws {
        try await withRig { rig in
            let (lb, old) = try await activeLB(rig)
            try await rig.store.apply(HealthUpdateBatch(liveness: [old.id: Date()]))
            await rig.compute.setBuildDelay(.milliseconds(300))
            try await enqueue(rig, .failoverAmphora(lb.id, old.id), from: [.active])
            let running = Task { try await runOneJob(rig) }
            let busy = try await Self.poll { try await rig.store.amphoraHealth(old.id)?.busy == true }
            #expect(busy)
            try await running.value
            #expect(try await status(rig, lb.id) == .active)
            #expect(try await rig.store.amphoraHealth(old.id) == nil)
            let replacement = try #require(try await amphorae(rig, lb.id).first { $0.status == .allocated })
            #expect(try await rig.store.amphoraHealth(replacement.id) == nil)
            // Its first heartbeat creates a row that is not busy: the sweep watches it from then on.
            try await rig.store.apply(HealthUpdateBatch(liveness: [replacement.id: Date()]))
            #expect(try await rig.store.amphoraHealth(replacement.id)?.busy == false)
        }
    }

    /// Polls `condition` for up to 5 s.
    static func poll(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func amphoraFailoverReplacesItAndRepairsChildren() async throws {
        try await withRig { rig in
            let (lb, old) = try await activeLB(rig)
            let pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .error, protocol: .http,
                            lbAlgorithm: .roundRobin)
            let member = Member(projectID: project, poolID: pool.id, provisioningStatus: .error, address: "10.9.0.9",
                                protocolPort: 80)
            try await rig.store.write { tx in
                try await tx.insert(pool)
                try await tx.insert(member)
            }
            try await enqueue(rig, .failoverAmphora(lb.id, old.id), from: [.active])
            try await runOneJob(rig)
            #expect(try await status(rig, lb.id) == .active)
            let rows = try await amphorae(rig, lb.id)
            #expect(rows.first { $0.id == old.id }?.status == .deleted)
            #expect(rows.filter { $0.status == .allocated }.count == 1)
            #expect(try await rig.store.reader.fetch(Pool.self, id: pool.id)?.provisioningStatus == .active)
            #expect(try await rig.store.reader.fetch(Member.self, id: member.id)?.provisioningStatus == .active)
        }
    }

    @Test func failoverGivenUpAfterItsAttemptsRemovesTheHalfBuiltAmphora() async throws {
        try await withRig { rig in
            let (lb, old) = try await activeLB(rig)
            // What a worker that died mid-failover leaves: old PENDING_DELETE, a replacement BOOTING.
            let halfBuilt = Amphora(loadBalancerID: lb.id, computeID: "noop-x", status: .booting)
            try await rig.store.write { tx in
                try await tx.insert(halfBuilt)
                var row = try #require(try await tx.fetch(Amphora.self, id: old.id))
                row.status = .pendingDelete
                try await tx.update(row)
            }
            try await enqueue(rig, .failoverLoadBalancer(lb.id))
            let job = try #require(try await rig.worker.claim())
            await rig.worker.markFailed(job, logger: Logger(label: "t"))
            #expect(try await status(rig, lb.id) == .error)
            let rows = try await amphorae(rig, lb.id)
            #expect(rows.first { $0.id == halfBuilt.id }?.status == .deleted)
            #expect(rows.first { $0.id == old.id }?.status == .error)
            #expect(await rig.compute.calls.contains("delete noop-x"))
        }
    }

    @Test func deleteAmphoraRemovesAnErrorAmphora() async throws {
        try await withRig { rig in
            let (lb, amphora) = try await activeLB(rig)
            try await rig.store.write { tx in
                var row = try #require(try await tx.fetch(Amphora.self, id: amphora.id))
                row.status = .pendingDelete
                try await tx.update(row)
                try await tx.enqueue(.deleteAmphora(lb.id, amphora.id))
            }
            try await rig.store.apply(HealthUpdateBatch(liveness: [amphora.id: Date()]))
            try await runOneJob(rig)
            #expect(try await rig.store.reader.fetch(Amphora.self, id: amphora.id)?.status == .deleted)
            #expect(try await rig.store.amphoraHealth(amphora.id) == nil)
            #expect(await rig.compute.instances.isEmpty)
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }

    /// Members as the batch API leaves them: one to create, one to update, one to delete, one untouched.
    func batch(_ rig: Rig, _ lb: LoadBalancer) async throws -> (Pool, [Member]) {
        let pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .pendingUpdate, protocol: .http,
                        lbAlgorithm: .roundRobin)
        let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .pendingUpdate, protocol: .http,
                                protocolPort: 80, defaultPoolID: pool.id)
        let members = [
            Member(projectID: project, poolID: pool.id, provisioningStatus: .pendingCreate, address: "10.9.0.11", protocolPort: 80),
            Member(projectID: project, poolID: pool.id, provisioningStatus: .pendingUpdate, address: "10.9.0.12", protocolPort: 80),
            Member(projectID: project, poolID: pool.id, provisioningStatus: .pendingDelete, address: "10.9.0.13", protocolPort: 80),
            Member(projectID: project, poolID: pool.id, provisioningStatus: .active, address: "10.9.0.14", protocolPort: 80),
        ]
        try await rig.store.write { tx in
            try await tx.insert(pool)
            try await tx.insert(listener)
            for member in members { try await tx.insert(member) }
            #expect(try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate))
            try await tx.enqueue(.batchUpdateMembers(lb.id, pool.id))
        }
        return (pool, members)
    }

    @Test func batchUpdateAppliesEveryChangeWithOnePush() async throws {
        try await withRig { rig in
            let (lb, amphora) = try await activeLB(rig)
            let (pool, members) = try await batch(rig, lb)
            let pushesBefore = await rig.amphora.calls.filter { $0.hasPrefix("applyHAProxyConfig") }.count
            try await runOneJob(rig)
            let reader = rig.store.reader
            #expect(try await reader.fetch(Member.self, id: members[0].id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(Member.self, id: members[1].id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(Member.self, id: members[2].id) == nil)
            #expect(try await reader.fetch(Member.self, id: members[3].id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(Pool.self, id: pool.id)?.provisioningStatus == .active)
            #expect(try await status(rig, lb.id) == .active)
            let pushes = await rig.amphora.calls.filter { $0 == "applyHAProxyConfig \(amphora.id)" }.count
            #expect(pushes == pushesBefore + 1)
            let config = try #require(await rig.amphora.configs[lb.id])
            #expect(config.contains("10.9.0.11:80") && !config.contains("10.9.0.13:80"))
        }
    }

    @Test func failedBatchUpdateMarksTouchedMembersError() async throws {
        try await withRig { rig in
            let (lb, _) = try await activeLB(rig)
            let (pool, members) = try await batch(rig, lb)
            await rig.amphora.setFailApply(OctaviaError(.internalError, "haproxy refused config"))
            try await runOneJob(rig)
            let reader = rig.store.reader
            for member in members.prefix(3) {
                #expect(try await reader.fetch(Member.self, id: member.id)?.provisioningStatus == .error)
            }
            #expect(try await reader.fetch(Member.self, id: members[3].id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(Pool.self, id: pool.id)?.provisioningStatus == .active)
            #expect(try await status(rig, lb.id) == .active)
            #expect(try await rig.store.jobs.pendingCount() == 0)
        }
    }
}
