import Foundation
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// An ACTIVE load balancer with an HTTP listener, its default pool and a second pool.
struct L7Fixture: Sendable {
    var lb: String
    var listener: String
    var defaultPool: String
    var pool: String
}

extension APIClient {
    func l7Fixture() async throws -> L7Fixture {
        let lb = try await createLB()
        let listener = try await createListener(lb: lb)
        let defaultPool = try await createPool(listener: listener)
        let pool = try await createPool(lb: lb)
        return L7Fixture(lb: lb, listener: listener, defaultPool: defaultPool, pool: pool)
    }

    /// POSTs a policy; returns the response.
    func postPolicy(_ fields: [String: JSONValue]) async throws -> APIResponse {
        try await request(.post, "/v2.0/lbaas/l7policies", json: ["l7policy": .object(fields)])
    }

    /// Creates a policy and plays the worker (everything back to ACTIVE); returns its id.
    func createPolicy(_ f: L7Fixture, _ fields: [String: JSONValue] = ["action": "REJECT"]) async throws -> String {
        var body = fields
        body["listener_id"] = .string(f.listener)
        let r = try await postPolicy(body)
        #expect(r.status == .created, "\(r.json ?? .null)")
        let id = try #require(r["l7policy"]?["id"]?.stringValue)
        try await settle(f, policy: id)
        return id
    }

    func postRule(_ policy: String, _ fields: [String: JSONValue]) async throws -> APIResponse {
        try await request(.post, "/v2.0/lbaas/l7policies/\(policy)/rules", json: ["rule": .object(fields)])
    }

    /// Plays the worker after an L7 change: LB, listener, policy (and rules) ACTIVE.
    func settle(_ f: L7Fixture, policy: String? = nil, rule: String? = nil) async throws {
        try await activate(LoadBalancer.self, f.lb)
        try await activate(Listener.self, f.listener)
        if let policy { try await activate(L7Policy.self, policy) }
        if let rule { try await activate(L7Rule.self, rule) }
    }

    func policy(_ id: String) async throws -> JSONValue? {
        try await request(.get, "/v2.0/lbaas/l7policies/\(id)")["l7policy"]
    }

    func positions(of listener: String) async throws -> [String] {
        let r = try await request(.get, "/v2.0/lbaas/listeners/\(listener)")
        return (r["listener"]?["l7policies"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }
}
