import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// `PUT /pools/{pool_id}/members[?additive_only=true]` (api-v2.md §8).
@Suite struct OperationsMemberBatchTests {
    /// An ACTIVE pool with ACTIVE members at `10.0.0.<n>:80`.
    func pool(_ api: APIClient, members: [Int]) async throws -> (lb: String, pool: String) {
        let lb = try await api.createLB()
        let pool = try await api.createPool(lb: lb)
        for n in members {
            let r = try await api.request(.post, "/v2/lbaas/pools/\(pool)/members",
                                          json: ["member": ["address": .string("10.0.0.\(n)"), "protocol_port": 80]])
            #expect(r.status == .created)
            let id = try #require(r["member"]?["id"]?.stringValue)
            try await api.activate(Member.self, id)
            try await api.activate(Pool.self, pool)
            try await api.activate(LoadBalancer.self, lb)
        }
        return (lb, pool)
    }

    func members(_ api: APIClient, _ pool: String) async throws -> [String: Member] {
        let rows = try await api.store.reader.list(Member.self, ListQuery(filters: [("pool_id", .string(pool))]))
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0.address):\($0.protocolPort)", $0) })
    }

    @Test func createsUpdatesAndDeletesInOneJob() async throws {
        try await APITestHarness().run { api in
            let (lb, pool) = try await pool(api, members: [1, 2])
            let jobs = try await api.jobs()
            let r = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members", json: ["members": [
                ["address": "10.0.0.2", "protocol_port": 80, "weight": 5, "name": "kept"],
                ["address": "10.0.0.3", "protocol_port": 80, "backup": true],
            ]])
            #expect(r.status == .accepted)
            #expect(r.json == nil)
            #expect(try await api.jobs() == jobs + 1)
            let rows = try await members(api, pool)
            #expect(rows["10.0.0.1:80"]?.provisioningStatus == .pendingDelete)
            #expect(rows["10.0.0.2:80"]?.provisioningStatus == .pendingUpdate)
            #expect(rows["10.0.0.2:80"]?.weight == 5 && rows["10.0.0.2:80"]?.name == "kept")
            #expect(rows["10.0.0.3:80"]?.provisioningStatus == .pendingCreate)
            #expect(rows["10.0.0.3:80"]?.backup == true && rows["10.0.0.3:80"]?.weight == 1)
            #expect(rows["10.0.0.3:80"]?.operatingStatus == .noMonitor)
            #expect(try await api.store.reader.fetch(LoadBalancer.self, id: lb)?.provisioningStatus == .pendingUpdate)
            #expect(try await api.store.reader.fetch(Pool.self, id: pool)?.provisioningStatus == .pendingUpdate)

            // The LB is locked now.
            let locked = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members", json: ["members": []])
            #expect(locked.status == .conflict)
        }
    }

    @Test func additiveOnlyKeepsMembersNotListed() async throws {
        try await APITestHarness().run { api in
            let (_, pool) = try await pool(api, members: [1])
            let r = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members?additive_only=true",
                                          json: ["members": [["address": "10.0.0.4", "protocol_port": 80]]])
            #expect(r.status == .accepted)
            let rows = try await members(api, pool)
            #expect(rows["10.0.0.1:80"]?.provisioningStatus == .active)
            #expect(rows["10.0.0.4:80"]?.provisioningStatus == .pendingCreate)
        }
    }

    @Test func noChangeIsAcceptedWithoutAJobOrLock() async throws {
        try await APITestHarness().run { api in
            let (lb, pool) = try await pool(api, members: [])
            let jobs = try await api.jobs()
            let r = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members", json: ["members": []])
            #expect(r.status == .accepted)
            #expect(try await api.jobs() == jobs)
            #expect(try await api.store.reader.fetch(LoadBalancer.self, id: lb)?.provisioningStatus == .active)
            #expect(try await api.store.reader.fetch(Pool.self, id: pool)?.provisioningStatus == .active)
        }
    }

    @Test func badRequestsChangeNothing() async throws {
        try await APITestHarness().run { api in
            let (lb, pool) = try await pool(api, members: [1])
            let path = "/v2/lbaas/pools/\(pool)/members"
            let dup = try await api.request(.put, path, json: ["members": [
                ["address": "10.0.0.1", "protocol_port": 80], ["address": "10.0.0.1", "protocol_port": 80, "weight": 2],
            ]])
            #expect(dup.status == .badRequest)
            #expect(dup.faultstring == "Validation failure: Member must be updated only once in the same request.")

            let missingPort = try await api.request(.put, path, json: ["members": [["address": "10.0.0.9"]]])
            #expect(missingPort.status == .badRequest)
            #expect(missingPort.faultstring == "Invalid input for field/attribute protocol_port. Value: 'None'. Mandatory field missing.")

            let unknown = try await api.request(.put, path, json: ["members": [["address": "10.0.0.9", "protocol_port": 80, "bogus": 1]]])
            #expect(unknown.status == .badRequest)
            #expect(try await api.request(.put, path, json: ["member": []]).status == .badRequest)
            #expect(try await api.request(.put, path, json: ["members": ["x"]]).status == .badRequest)
            #expect(try await api.request(.put, path, "not json").status == .badRequest)
            let badWeight = try await api.request(.put, path, json: ["members": [["address": "10.0.0.9", "protocol_port": 80, "weight": 300]]])
            #expect(badWeight.status == .badRequest)

            let reserved = try await api.request(.put, path, json: ["members": [["address": "169.254.169.254", "protocol_port": 80]]])
            #expect(reserved.status == .badRequest)
            #expect(reserved.faultstring == "169.254.169.254 is not a valid option for member address")

            let subnet = "7d1c6f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f"
            let noSubnet = try await api.request(.put, path, json: ["members": [
                ["address": "10.0.0.9", "protocol_port": 80, "subnet_id": .string(subnet)],
            ]])
            #expect(noSubnet.status == .notFound)
            #expect(noSubnet.faultstring == "Subnet \(subnet) not found.")

            // Nothing was written and nothing is locked.
            #expect(try await members(api, pool).values.map(\.provisioningStatus) == [.active])
            #expect(try await api.store.reader.fetch(LoadBalancer.self, id: lb)?.provisioningStatus == .active)
        }
    }

    @Test func poolMustBeActiveAndExist() async throws {
        try await APITestHarness().run { api in
            let (_, pool) = try await pool(api, members: [])
            try await api.store.write { try await $0.setStatus(Pool.self, id: pool, provisioning: .pendingUpdate, operating: nil) }
            let r = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members", json: ["members": [["address": "10.0.0.9", "protocol_port": 80]]])
            #expect(r.status == .conflict)
            #expect(r.faultstring == "Pool \(pool) is immutable and cannot be updated.")
            let missing = "0b3f6a5e-8d1c-4c9e-9a55-3b1f2e4d6c7a"
            let gone = try await api.request(.put, "/v2/lbaas/pools/\(missing)/members", json: ["members": []])
            #expect(gone.status == .notFound)
            #expect(gone.faultstring == "Pool \(missing) not found.")
        }
    }

    @Test func quotaCountsTheNetGrowth() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enforceQuotas = true
        options.quotaDefaults.member = 2
        try await APITestHarness(options: options).run { api in
            let (lb, pool) = try await pool(api, members: [1, 2])
            // Replacing both members by two others: no growth, accepted.
            let swap = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members", json: ["members": [
                ["address": "10.0.0.3", "protocol_port": 80], ["address": "10.0.0.4", "protocol_port": 80],
            ]])
            #expect(swap.status == .accepted)
            try await api.store.write { tx in
                for member in try await tx.list(Member.self, ListQuery(filters: [("pool_id", .string(pool))]))
                where member.provisioningStatus == .pendingDelete {
                    try await tx.delete(Member.self, id: member.id.rawValue)
                }
            }
            try await api.activate(Pool.self, pool)
            try await api.activate(LoadBalancer.self, lb)
            // Adding a third: over the limit.
            let grow = try await api.request(.put, "/v2/lbaas/pools/\(pool)/members?additive_only=true",
                                             json: ["members": [["address": "10.0.0.5", "protocol_port": 80]]])
            #expect(grow.status == .forbidden)
            #expect(grow.faultstring == "Quota has been met for resources: Member")
        }
    }
}
