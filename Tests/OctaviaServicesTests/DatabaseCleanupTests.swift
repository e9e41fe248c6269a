import Foundation
import Logging
import OctaviaCore
import OctaviaHousekeeping
import OctaviaPersistence
import Testing

/// Housekeeping's purge: DELETED rows past their own expiry age go, nothing else does.
@Suite struct DatabaseCleanupTests {
    @Test func purgesOnlyDeletedRowsPastTheirExpiryAge() async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "t"))
        do { try await check(store) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    func check(_ store: SQLStore) async throws {
        let now = Date()
        let lbAge: TimeInterval = 3600, ampAge: TimeInterval = 600
        func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }
        let project = ProjectID("p")
        func lb(_ status: ProvisioningStatus, updated: Date) -> LoadBalancer {
            LoadBalancer(projectID: project, provisioningStatus: status, createdAt: ago(10 * lbAge), updatedAt: updated)
        }
        let oldDeletedLB = lb(.deleted, updated: ago(lbAge + 1))
        let youngDeletedLB = lb(.deleted, updated: ago(lbAge - 60))
        let oldActiveLB = lb(.active, updated: ago(10 * lbAge))
        // Past the amphora age but not the load balancer age: the LB age decides for LBs.
        let betweenDeletedLB = lb(.deleted, updated: ago(ampAge + 60))
        func amp(_ status: AmphoraStatus, lb: LoadBalancer?, updated: Date) -> Amphora {
            Amphora(loadBalancerID: lb?.id, status: status, createdAt: ago(10 * lbAge), updatedAt: updated)
        }
        let oldDeletedAmp = amp(.deleted, lb: oldActiveLB, updated: ago(ampAge + 1))
        let youngDeletedAmp = amp(.deleted, lb: oldActiveLB, updated: ago(ampAge - 60))
        let oldAllocatedAmp = amp(.allocated, lb: oldActiveLB, updated: ago(10 * lbAge))
        // An amphora row of a purged LB (young itself) goes with its load balancer.
        let ampOfPurgedLB = amp(.deleted, lb: oldDeletedLB, updated: ago(1))
        try await store.write { tx in
            for row in [oldDeletedLB, youngDeletedLB, oldActiveLB, betweenDeletedLB] { try await tx.insert(row) }
            for row in [oldDeletedAmp, youngDeletedAmp, oldAllocatedAmp, ampOfPurgedLB] { try await tx.insert(row) }
            // Extra VIPs and security groups go with a purged LB and stay with the others.
            for lb in [oldDeletedLB, youngDeletedLB] {
                try await tx.insert(AdditionalVIP(loadBalancerID: lb.id, subnetID: "s1", ipAddress: "10.0.1.5"))
                try await tx.insert(VIPSecurityGroup(loadBalancerID: lb.id, securityGroupID: "g1"))
            }
        }
        let cleanup = DatabaseCleanup(store: store, settings: .init(
            loadBalancerExpiryAge: .seconds(Int64(lbAge)), amphoraExpiryAge: .seconds(Int64(ampAge))), logger: Logger(label: "t"))
        let purged = try await cleanup.purge(now: now)
        #expect(purged.loadBalancers == 1)
        #expect(purged.amphorae == 2)

        let lbs = Set(try await store.reader.list(LoadBalancer.self, ListQuery()).map(\.id))
        #expect(lbs == [youngDeletedLB.id, oldActiveLB.id, betweenDeletedLB.id])
        let amps = Set(try await store.reader.list(Amphora.self, ListQuery()).map(\.id))
        #expect(amps == [youngDeletedAmp.id, oldAllocatedAmp.id])
        #expect(try await store.reader.list(AdditionalVIP.self, ListQuery()).map(\.loadBalancerID) == [youngDeletedLB.id])
        #expect(try await store.reader.list(VIPSecurityGroup.self, ListQuery()).map(\.loadBalancerID) == [youngDeletedLB.id])

        // A second round a moment later finds nothing new.
        #expect(try await cleanup.purge(now: now.addingTimeInterval(1)) == (0, 0))
    }
}
