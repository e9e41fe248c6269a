import Foundation
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

/// L7 policy and rule jobs: rendering, activation, deletion with renumbering, and the cascades.
struct L7WorkerTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    typealias Rig = WorkerRig

    func withRig(_ body: (Rig) async throws -> Void) async throws {
        try await WorkerRig.with(subnets: [subnet], body)
    }

    func runOneJob(_ rig: Rig) async throws { try await rig.runOneJob() }

    /// An ACTIVE LB with an HTTP listener (default pool 1) and a second pool, as after earlier jobs.
    func activeLoadBalancer(_ rig: Rig) async throws -> (LoadBalancer, Listener, Pool, Pool) {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID, vipSubnetID: subnet.id)
        try await rig.store.write { tx in
            try await tx.insert(lb)
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        try await runOneJob(rig)
        let first = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http, lbAlgorithm: .roundRobin)
        let second = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http, lbAlgorithm: .roundRobin)
        let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http,
                                protocolPort: 80, defaultPoolID: first.id)
        try await rig.store.write { tx in
            try await tx.insert(first); try await tx.insert(second); try await tx.insert(listener)
        }
        return (lb, listener, first, second)
    }

    /// What the API does for a policy create: LB and listener locked, policy and its rule pending.
    func createPolicy(_ rig: Rig, lb: LoadBalancer, listener: Listener, position: Int, action: L7PolicyAction,
                      pool: Pool.ID? = nil) async throws -> (L7Policy, L7Rule) {
        let policy = L7Policy(projectID: project, listenerID: listener.id, action: action, redirectPoolID: pool,
                              redirectURL: action == .redirectToURL ? "http://example.com/moved" : nil,
                              redirectHTTPCode: action == .redirectToURL ? 302 : nil, position: position)
        let rule = L7Rule(projectID: project, l7PolicyID: policy.id, type: .header, compareType: .equalTo, key: "X-Version",
                          value: "v2")
        try await rig.store.write { tx in
            _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
            try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
            try await tx.insert(policy); try await tx.insert(rule)
            try await tx.enqueue(.changeObject(lb.id, .l7policy(policy.id), .create))
        }
        try await runOneJob(rig)
        return (policy, rule)
    }

    @Test func policyCreateRendersActivatesAndDeleteRenumbersAndRemovesRules() async throws {
        try await withRig { rig in
            // setup
            let (lb, listener, _, second) = try await activeLoadBalancer(rig)
            let (toPool, toPoolRule) = try await createPolicy(rig, lb: lb, listener: listener, position: 1, action: .redirectToPool,
                                                              pool: second.id)
            let (toURL, _) = try await createPolicy(rig, lb: lb, listener: listener, position: 2, action: .redirectToURL)

            // validate: both ACTIVE/ONLINE, listener and LB released, both policies rendered
            let reader = rig.store.reader
            #expect(try await reader.fetch(L7Policy.self, id: toPool.id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(L7Policy.self, id: toPool.id)?.operatingStatus == .online)
            #expect(try await reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
            let config = try #require(await rig.amphora.configs[lb.id])
            #expect(config.contains("use_backend \(second.id):\(listener.id) if \(toPoolRule.id)"))
            #expect(config.contains("backend \(second.id):\(listener.id)"))
            #expect(config.contains("redirect code 302 location http://example.com/moved if"))

            // MUT: delete the first policy
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
                try await tx.setStatus(L7Policy.self, id: toPool.id.rawValue, provisioning: .pendingDelete, operating: nil)
                try await tx.enqueue(.changeObject(lb.id, .l7policy(toPool.id), .delete))
            }
            try await runOneJob(rig)

            // validate: rows gone, the other policy moved up to 1, no redirect backend any more
            #expect(try await reader.fetch(L7Policy.self, id: toPool.id) == nil)
            #expect(try await reader.fetch(L7Rule.self, id: toPoolRule.id) == nil)
            #expect(try await reader.fetch(L7Policy.self, id: toURL.id)?.position == 1)
            let after = try #require(await rig.amphora.configs[lb.id])
            #expect(!after.contains("backend \(second.id):\(listener.id)"))
            #expect(try await reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
        }
    }

    @Test func ruleChangeReleasesPolicyAndFailureMarksRuleError() async throws {
        try await withRig { rig in
            // setup
            let (lb, listener, _, _) = try await activeLoadBalancer(rig)
            let (policy, _) = try await createPolicy(rig, lb: lb, listener: listener, position: 1, action: .reject)
            let rule = L7Rule(projectID: project, l7PolicyID: policy.id, type: .path, compareType: .startsWith, value: "/admin")
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
                try await tx.setStatus(L7Policy.self, id: policy.id.rawValue, provisioning: .pendingUpdate, operating: nil)
                try await tx.insert(rule)
                try await tx.enqueue(.changeObject(lb.id, .l7rule(rule.id), .create))
            }
            await rig.amphora.setFailApply(OctaviaError(.internalError, "haproxy refused config"))

            // MUT
            try await runOneJob(rig)

            // validate
            let reader = rig.store.reader
            #expect(try await reader.fetch(L7Rule.self, id: rule.id)?.provisioningStatus == .error)
            #expect(try await reader.fetch(L7Policy.self, id: policy.id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
            #expect(try await reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
        }
    }

    @Test func listenerDeleteAndCascadeDeleteTakeThePolicies() async throws {
        try await withRig { rig in
            // setup
            let (lb, listener, _, _) = try await activeLoadBalancer(rig)
            let (policy, rule) = try await createPolicy(rig, lb: lb, listener: listener, position: 1, action: .reject)
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingDelete)
                try await tx.enqueue(.deleteLoadBalancer(lb.id, cascade: true))
            }

            // MUT
            try await runOneJob(rig)

            // validate
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .deleted)
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id) == nil)
            #expect(try await rig.store.reader.fetch(L7Policy.self, id: policy.id) == nil)
            #expect(try await rig.store.reader.fetch(L7Rule.self, id: rule.id) == nil)
        }
    }
}
