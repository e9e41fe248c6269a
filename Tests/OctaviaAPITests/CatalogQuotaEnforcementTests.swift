import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct CatalogQuotaEnforcementTests {
    static func enforcing(_ on: Bool) -> APIOptions {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enforceQuotas = on
        return options
    }

    @Test(arguments: [true, false])
    func parallelCreatesAgainstQuotaOfOne(enforce: Bool) async throws {
        try await APITestHarness(options: Self.enforcing(enforce)).run { api in
            // setup
            let put = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": ["loadbalancer": 1]])
            #expect(put.status == .accepted)
            // MUT: two creates at once
            async let first = api.postLB(["name": "a"])
            async let second = api.postLB(["name": "b"])
            let statuses = try await [first.status, second.status]
            // validate: the single-writer transaction lets exactly one through when enforced
            if enforce {
                #expect(statuses.filter { $0 == .created }.count == 1)
                #expect(statuses.filter { $0 == .forbidden }.count == 1)
                let refused = try await [first, second].first { $0.status == .forbidden }
                #expect(refused?.faultstring == "Quota has been met for resources: Load Balancer")
                #expect(try await api.count(LoadBalancer.self) == 1)
                // The refused create released its VIP port.
                #expect(try await api.count(NetworkPort.self) <= 1)
            } else {
                #expect(statuses == [.created, .created])
            }
        }
    }

    @Test func deletedLoadBalancersDoNotCount() async throws {
        try await APITestHarness(options: Self.enforcing(true)).run { api in
            _ = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": ["loadbalancer": 1]])
            let id = try await api.createLB()
            #expect(try await api.postLB().status == .forbidden)
            try await api.store.write { try await $0.setStatus(LoadBalancer.self, id: id, provisioning: .deleted, operating: nil) }
            #expect(try await api.postLB().status == .created)
        }
    }

    @Test func childQuotas() async throws {
        try await APITestHarness(options: Self.enforcing(true)).run { api in
            _ = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": [
                "listener": 1, "pool": 2, "member": 1, "healthmonitor": 1,
            ]])
            let lb = try await api.createLB()
            // listener: one accepted, one refused
            _ = try await api.createListener(lb: lb, port: 80)
            let listener2 = try await api.request(.post, "/v2/lbaas/listeners", json: ["listener": [
                "loadbalancer_id": .string(lb), "protocol": "HTTP", "protocol_port": 81,
            ]])
            #expect(listener2.status == .forbidden)
            #expect(listener2.faultstring == "Quota has been met for resources: Listener")
            // pool: two accepted, the third refused
            let pool = try await api.createPool(lb: lb)
            let pool2 = try await api.createPool(lb: lb)
            let pool3 = try await api.request(.post, "/v2/lbaas/pools", json: ["pool": [
                "loadbalancer_id": .string(lb), "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
            ]])
            #expect(pool3.faultstring == "Quota has been met for resources: Pool")
            // member
            let member = try await api.request(.post, "/v2/lbaas/pools/\(pool)/members", json: ["member": [
                "address": "10.0.0.20", "protocol_port": 80,
            ]])
            #expect(member.status == .created)
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            let member2 = try await api.request(.post, "/v2/lbaas/pools/\(pool)/members", json: ["member": [
                "address": "10.0.0.21", "protocol_port": 80,
            ]])
            #expect(member2.faultstring == "Quota has been met for resources: Member")
            // health monitor
            let monitor = try await api.request(.post, "/v2/lbaas/healthmonitors", json: ["healthmonitor": [
                "pool_id": .string(pool), "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2,
            ]])
            #expect(monitor.status == .created, "\(monitor.json ?? .null)")
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            let monitor2 = try await api.request(.post, "/v2/lbaas/healthmonitors", json: ["healthmonitor": [
                "pool_id": .string(pool2), "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2,
            ]])
            #expect(monitor2.faultstring == "Quota has been met for resources: Health Monitor")
            // the first check created the project's row, so it is listed
            let list = try await api.request(.get, "/v2/lbaas/quotas")
            #expect(list["quotas"]?.arrayValue?.count == 1)
        }
    }

    @Test func firstCheckCreatesTheProjectRow() async throws {
        try await APITestHarness(options: Self.enforcing(true)).run { api in
            _ = try await api.createLB()
            let list = try await api.request(.get, "/v2/lbaas/quotas")
            #expect(list["quotas"]?[0]?["project_id"] == "default-project")
            #expect(list["quotas"]?[0]?["loadbalancer"] == .null)
        }
    }
}
