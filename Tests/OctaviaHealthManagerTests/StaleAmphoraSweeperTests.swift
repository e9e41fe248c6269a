import Foundation
import Logging
import OctaviaCore
import OctaviaPersistence
import Testing
@testable import OctaviaHealthManager

@Suite("Stale amphora detection")
struct StaleAmphoraSweeperTests {
    func sweeper(_ store: SQLStore, threshold: Int? = nil) -> StaleAmphoraSweeper {
        StaleAmphoraSweeper(store: store, configuration: HealthFixture.configuration(threshold: threshold), logger: Logger(label: "test"))
    }

    func report(_ f: HealthFixture, at date: Date) async throws {
        try await f.store.apply(HealthUpdateBatch(liveness: [f.amphora.id: date]))
    }

    @Test func staleAmphoraIsClaimedOnceAndFailedOver() async throws {
        try await HealthFixture.run { f in
            let now = Date()
            try await report(f, at: now.addingTimeInterval(-30))
            // Fresh (30 s < 60 s timeout): nothing happens.
            #expect(await sweeper(f.store).sweepOnce(now: now) == .failingOver([]))

            try await report(f, at: now.addingTimeInterval(-61))
            #expect(await sweeper(f.store).sweepOnce(now: now) == .failingOver([f.amphora.id]))
            #expect(try await f.store.amphoraHealth(f.amphora.id)?.busy == true)
            #expect(try await f.store.reader.fetch(LoadBalancer.self, id: f.lb.id)?.provisioningStatus == .pendingUpdate)
            let job = try #require(try await f.store.jobs.claimForTest())
            #expect(job == .failoverAmphora(f.lb.id, f.amphora.id))

            // Busy: a second sweep (another health manager) does not start a second failover, and a late
            // heartbeat does not clear busy.
            try await report(f, at: now.addingTimeInterval(-90))
            #expect(await sweeper(f.store).sweepOnce(now: now) == .failingOver([]))
            #expect(try await f.store.amphoraHealth(f.amphora.id)?.busy == true)
        }
    }

    @Test func loadBalancerInPendingStateIsLeftAlone() async throws {
        try await HealthFixture.run(lbStatus: .pendingUpdate) { f in
            try await report(f, at: Date().addingTimeInterval(-120))
            #expect(await sweeper(f.store).sweepOnce() == .failingOver([]))
            #expect(try await f.store.amphoraHealth(f.amphora.id)?.busy == false)
        }
    }

    @Test func thresholdStopsFailoverAndMarksAmphorae() async throws {
        try await HealthFixture.run { f1 in
            let f2 = try await HealthFixture.make(store: f1.store)
            let now = Date()
            try await report(f1, at: now.addingTimeInterval(-120))
            try await report(f2, at: now.addingTimeInterval(-120))
            let result = await sweeper(f1.store, threshold: 2).sweepOnce(now: now)
            guard case .thresholdReached(let count, let stopped) = result else {
                Issue.record("expected the threshold to stop failover, got \(String(describing: result))")
                return
            }
            #expect(count == 2)
            #expect(Set(stopped) == [f1.amphora.id, f2.amphora.id])
            #expect(try await f1.store.reader.fetch(Amphora.self, id: f1.amphora.id)?.status == .failoverStopped)
            #expect(try await f1.store.reader.fetch(LoadBalancer.self, id: f1.lb.id)?.provisioningStatus == .active)
            #expect(try await f1.store.jobs.claimForTest() == nil)

            // One comes back: it is ALLOCATED again; the other alone is under the threshold and is failed over.
            try await report(f1, at: now)
            #expect(await sweeper(f1.store, threshold: 2).sweepOnce(now: now) == .failingOver([f2.amphora.id]))
            #expect(try await f1.store.reader.fetch(Amphora.self, id: f1.amphora.id)?.status == .allocated)
        }
    }

    @Test func healthRowsOfDeletedAmphoraeAreRemoved() async throws {
        try await HealthFixture.run { f in
            try await report(f, at: Date().addingTimeInterval(-120))
            try await f.store.write { tx in
                try await tx.setStatusForAmphoraTest(f.amphora.id)
            }
            #expect(await sweeper(f.store).sweepOnce() == .failingOver([]))
            #expect(try await f.store.amphoraHealth(f.amphora.id) == nil)
        }
    }
}

extension StoreWriting {
    func setStatusForAmphoraTest(_ id: Amphora.ID) async throws {
        guard var amphora = try await fetch(Amphora.self, id: id) else { return }
        amphora.status = .deleted
        try await update(amphora)
    }
}

extension JobQueue {
    /// The next pending job's action, claimed by a test worker.
    func claimForTest() async throws -> JobAction? {
        try await claim(by: WorkerIdentity(host: "test", pid: 1, startedAt: 1), lease: .seconds(60), liveness: { _ in .alive })?.action
    }
}
