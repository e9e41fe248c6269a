import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// L7 policy and rule quotas (enforced only with quotas on, as the other resources).
@Suite struct L7QuotaTests {
    @Test(arguments: [true, false])
    func policyAndRuleQuotas(enforce: Bool) async throws {
        try await APITestHarness(options: CatalogQuotaEnforcementTests.enforcing(enforce)).run { api in
            _ = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": ["l7policy": 1, "l7rule": 1]])
            let lb = try await api.createLB()
            let listener = try await api.createListener(lb: lb)
            // A policy with two rules is over the rule quota.
            let tooMany = try await api.request(.post, "/v2/lbaas/l7policies", json: ["l7policy": [
                "listener_id": .string(listener), "action": "REJECT",
                "rules": [["type": "PATH", "compare_type": "STARTS_WITH", "value": "/a"],
                          ["type": "PATH", "compare_type": "STARTS_WITH", "value": "/b"]],
            ]])
            #expect(tooMany.status == (enforce ? .forbidden : .created))
            if enforce { #expect(tooMany.faultstring == "Quota has been met for resources: L7 Rule") }
            guard enforce else { return }
            let policy = try await api.request(.post, "/v2/lbaas/l7policies", json: ["l7policy": [
                "listener_id": .string(listener), "action": "REJECT",
            ]])
            #expect(policy.status == .created)
            let policyID = try #require(policy["l7policy"]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, listener)
            try await api.activate(L7Policy.self, policyID)
            let second = try await api.request(.post, "/v2/lbaas/l7policies", json: ["l7policy": [
                "listener_id": .string(listener), "action": "REJECT",
            ]])
            #expect(second.status == .forbidden)
            #expect(second.faultstring == "Quota has been met for resources: L7 Policy")
            let rule = try await api.request(.post, "/v2/lbaas/l7policies/\(policyID)/rules", json: ["rule": [
                "type": "PATH", "compare_type": "STARTS_WITH", "value": "/a",
            ]])
            #expect(rule.status == .created, "\(rule.json ?? .null)")
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, listener)
            try await api.activate(L7Policy.self, policyID)
            let rule2 = try await api.request(.post, "/v2/lbaas/l7policies/\(policyID)/rules", json: ["rule": [
                "type": "PATH", "compare_type": "STARTS_WITH", "value": "/b",
            ]])
            #expect(rule2.status == .forbidden)
            #expect(rule2.faultstring == "Quota has been met for resources: L7 Rule")
        }
    }

    @Test func fullyPopulatedCreateCountsPoliciesAndRules() async throws {
        try await APITestHarness(options: CatalogQuotaEnforcementTests.enforcing(true)).run { api in
            _ = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": ["l7policy": 1]])
            let r = try await api.postLB(["listeners": [[
                "protocol": "HTTP", "protocol_port": 80,
                "l7policies": [["action": "REJECT"], ["action": "REJECT", "position": 2]],
            ]]])
            #expect(r.status == .forbidden, "\(r.json ?? .null)")
            #expect(r.faultstring == "Quota has been met for resources: L7 Policy")
        }
    }
}
