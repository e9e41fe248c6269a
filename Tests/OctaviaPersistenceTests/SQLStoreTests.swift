import Foundation
import Logging
import OctaviaCore
@testable import OctaviaPersistence
import Testing

struct SQLStoreTests {
    let project = ProjectID("p1")

    /// Runs `body` on a fresh in-memory store and always closes it (SQLiteNIO asserts on unclosed connections).
    func withStore(_ body: (SQLStore) async throws -> Void) async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "test"))
        do { try await body(store) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    func makeLB(_ status: ProvisioningStatus = .active) -> LoadBalancer {
        LoadBalancer(projectID: project, name: "lb", provisioningStatus: status, vipAddress: "10.0.0.5", tags: ["a", "b"])
    }

    @Test func roundTripsEveryModelIncludingJSONColumns() async throws {
        // setup
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB()
            let listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .http, protocolPort: 80,
                                    insertHeaders: ["X-Forwarded-For": "true"], allowedCIDRs: ["10.0.0.0/8"])
            let pool = Pool(projectID: project, loadBalancerID: lb.id, protocol: .http, lbAlgorithm: .roundRobin,
                            sessionPersistence: SessionPersistence(type: .appCookie, cookieName: "c"))
            let member = Member(projectID: project, poolID: pool.id, address: "10.0.1.1", protocolPort: 80, monitorPort: 8080)
            let hm = HealthMonitor(projectID: project, poolID: pool.id, type: .http, delay: 1, timeout: 1, maxRetries: 2,
                                   httpMethod: .get, urlPath: "/", expectedCodes: "200", httpVersion: 1.1)
            // MUT
            try await store.write { tx in
                try await tx.insert(lb); try await tx.insert(listener); try await tx.insert(pool)
                try await tx.insert(member); try await tx.insert(hm)
            }
            // validate
            let graph = try #require(try await store.reader.graph(lb.id))
            #expect(graph.loadBalancer.tags.value == ["a", "b"])
            #expect(graph.listeners.first?.insertHeaders.value == ["X-Forwarded-For": "true"])
            #expect(graph.listeners.first?.allowedCIDRs?.value == ["10.0.0.0/8"])
            #expect(graph.pools.first?.sessionPersistence?.value.cookieName == "c")
            #expect(graph.members.first?.monitorPort == 8080)
            #expect(graph.members.first?.monitorAddress == nil)
            #expect(graph.healthMonitors.first?.httpVersion == 1.1)
            #expect(graph.listeners.first?.id == listener.id)
        }
    }

    @Test func updateClearsOptionalColumns() async throws {
        try await withStore { (store: SQLStore) async throws in
            let original = makeLB()
            try await store.write { try await $0.insert(original) }
            var lb = original
            lb.name = nil
            lb.description = "d"
            let updated = lb
            try await store.write { try await $0.update(updated) }
            let read = try #require(try await store.reader.fetch(LoadBalancer.self, id: lb.id))
            #expect(read.name == nil)
            #expect(read.description == "d")
        }
    }

    @Test func testAndSetOnlyChangesExpectedStatus() async throws {
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB(.pendingCreate)
            try await store.write { try await $0.insert(lb) }
            let refused = try await store.write { try await $0.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate) }
            #expect(refused == false)
            #expect(try await store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .pendingCreate)
            try await store.write { try await $0.setStatus(LoadBalancer.self, id: lb.id.rawValue, provisioning: .active, operating: nil) }
            let taken = try await store.write { try await $0.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate) }
            #expect(taken == true)
        }
    }

    @Test func concurrentCompareAndSetHasExactlyOneWinner() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cas-\(UUID()).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try await SQLStore.openSQLite(path: path, logger: Logger(label: "test"))
        let lb = makeLB(.active)
        try await store.write { try await $0.insert(lb) }
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask { try await store.write { try await $0.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate) } }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        await store.close()
    }

    @Test func failedTransactionWritesNothing() async throws {
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB()
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await store.write { tx in
                    try await tx.insert(lb)
                    try await tx.enqueue(.createLoadBalancer(lb.id))
                    throw Boom()
                }
            }
            #expect(try await store.reader.fetch(LoadBalancer.self, id: lb.id) == nil)
            #expect(try await store.jobs.pendingCount() == 0)
        }
    }

    @Test func jobsAreClaimedOnceAndTakenOverFromDeadWorkers() async throws {
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB()
            try await store.write { tx in
                try await tx.insert(lb)
                try await tx.enqueue(.createLoadBalancer(lb.id))
            }
            let a = WorkerIdentity(host: "h", pid: 1, startedAt: 1)
            let b = WorkerIdentity(host: "h", pid: 2, startedAt: 2)
            let first = try #require(try await store.jobs.claim(by: a, lease: .seconds(60), liveness: { _ in .alive }))
            #expect(first.action == .createLoadBalancer(lb.id))
            #expect(first.attempts == 1)
            // A live holder keeps its job.
            #expect(try await store.jobs.claim(by: b, lease: .seconds(60), liveness: { _ in .alive }) == nil)
            // A dead holder loses it.
            let taken = try #require(try await store.jobs.claim(by: b, lease: .seconds(60), liveness: { $0 == a ? .dead : .alive }))
            #expect(taken.id == first.id)
            #expect(taken.attempts == 2)
            #expect(try await store.jobs.renew(taken.id, by: a, lease: .seconds(5)) == false)
            #expect(try await store.jobs.renew(taken.id, by: b, lease: .seconds(5)) == true)
            try await store.jobs.finish(taken.id)
            #expect(try await store.jobs.pendingCount() == 0)
        }
    }

    @Test func expiredLeaseFreesAJobOnlyWhenTheHolderIsNotKnownAlive() async throws {
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB()
            try await store.write { tx in
                try await tx.insert(lb)
                try await tx.enqueue(.createLoadBalancer(lb.id))
            }
            let a = WorkerIdentity(host: "h1", pid: 1, startedAt: 1)
            let b = WorkerIdentity(host: "h2", pid: 2, startedAt: 2)
            // A lease that is already over.
            _ = try #require(try await store.jobs.claim(by: a, lease: .seconds(-1), liveness: { _ in .alive }))
            // A holder known to be alive keeps the job even with an expired lease (a stalled
            // database must not make two workers run one flow).
            #expect(try await store.jobs.claim(by: b, lease: .seconds(60), liveness: { _ in .alive }) == nil)
            // A holder on another host is judged by its lease.
            #expect(try await store.jobs.claim(by: b, lease: .seconds(60), liveness: { _ in .unknown }) != nil)
        }
    }

    @Test func removeJobInsideTheFinalTransaction() async throws {
        try await withStore { (store: SQLStore) async throws in
            let lb = makeLB()
            try await store.write { tx in
                try await tx.insert(lb)
                try await tx.enqueue(.createLoadBalancer(lb.id))
            }
            let job = try #require(try await store.jobs.claim(by: WorkerIdentity(host: "h", pid: 1, startedAt: 1),
                                                          lease: .seconds(60), liveness: { _ in .alive }))
            try await store.write { tx in
                try await tx.setStatus(LoadBalancer.self, id: lb.id.rawValue, provisioning: .active, operating: nil)
                try await tx.removeJob(job.id)
            }
            #expect(try await store.jobs.pendingCount() == 0)
        }
    }

    @Test func migrationsAreIdempotentOnAFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(UUID()).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await SQLStore.openSQLite(path: path, logger: Logger(label: "test"), migrate: false)
        #expect(try await first.upgrade() == Migrations.all.map(\.version))
        await first.close()
        let second = try await SQLStore.openSQLite(path: path, logger: Logger(label: "test"), migrate: false)
        #expect(try await second.upgrade() == [])
        await second.close()
    }

    @Test func duplicatePortAddressIsRefused() async throws {
        try await withStore { (store: SQLStore) async throws in
            let a = NetworkPort(id: UUID().uuidString, name: "a", networkID: "n", subnetID: "s", ipAddress: "10.0.0.9", macAddress: "02:00:00:00:00:01", deviceID: "x")
            var copy = a
            copy.id = UUID().uuidString
            let b = copy
            try await store.write { try await $0.insert(a) }
            await #expect(throws: (any Error).self) { try await store.write { try await $0.insert(b) } }
        }
    }

    @Test func filtersInNotAndKeysetPagingRunInSQL() async throws {
        try await withStore { (store: SQLStore) async throws in
            // setup: 25 LBs with names lb00..lb24, every fifth DELETED
            let base = Date(timeIntervalSince1970: 1_700_000_000)
            var all: [LoadBalancer] = []
            for i in 0..<25 {
                all.append(LoadBalancer(projectID: project, name: String(format: "lb%02d", i),
                                        provisioningStatus: i % 5 == 0 ? .deleted : .active,
                                        createdAt: base.addingTimeInterval(Double(i / 2))))
            }
            let rows = all
            try await store.write { tx in for lb in rows { try await tx.insert(lb) } }
            let sort: [(column: String, direction: SortDirection)] = [("created_at", .asc), ("id", .asc)]
            let live = ListQuery(filters: [("provisioning_status", .not(.string("DELETED")))], sort: sort)
            let expected = try await store.reader.list(LoadBalancer.self, live).map(\.id)
            #expect(expected.count == 20)
            // MUT: walk pages of 6 by marker
            var seen: [LoadBalancer.ID] = []
            var marker: String? = nil
            repeat {
                var page = live
                page.limit = 6
                page.after = marker.map { KeysetBound(markerID: $0) }
                let rows = try await store.reader.list(LoadBalancer.self, page)
                seen += rows.map(\.id)
                marker = rows.count == 6 ? rows.last?.id.rawValue : nil
            } while marker != nil
            // validate: same rows, same order, no duplicates (equal created_at values tie-break on id)
            #expect(seen == expected)
            // descending walk starts after the marker in the other direction
            let desc = ListQuery(filters: live.filters, sort: [("name", .desc)], limit: 3, after: KeysetBound(markerID: all[10].id.rawValue))
            #expect(try await store.reader.list(LoadBalancer.self, desc).compactMap(\.name) == ["lb09", "lb08", "lb07"])
            let some = ListQuery(filters: [("name", .in([.string("lb01"), .string("lb02"), .string("zz")]))])
            #expect(try await store.reader.count(LoadBalancer.self, some) == 2)
            #expect(try await store.reader.count(LoadBalancer.self, ListQuery(filters: [("name", .in([]))])) == 0)
            #expect(try await store.reader.count(LoadBalancer.self, ListQuery(filters: [("description", .not(.null))])) == 0)
        }
    }
}
