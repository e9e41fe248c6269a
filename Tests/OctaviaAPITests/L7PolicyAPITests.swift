import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct L7PolicyAPITests {
    @Test func createLocksListenerAndRendersPolicy() async throws {
        try await APITestHarness().run { api in
            // setup
            let f = try await api.l7Fixture()

            // MUT
            let r = try await api.postPolicy([
                "listener_id": .string(f.listener), "action": "REDIRECT_TO_POOL", "redirect_pool_id": .string(f.pool),
                "name": "to-pool", "tags": ["a"],
            ])

            // validate
            #expect(r.status == .created)
            let p = try #require(r["l7policy"])
            #expect(p["provisioning_status"] == "PENDING_CREATE")
            #expect(p["operating_status"] == "OFFLINE")
            #expect(p["action"] == "REDIRECT_TO_POOL")
            #expect(p["redirect_pool_id"] == .string(f.pool))
            #expect(p["redirect_url"] == .null)
            #expect(p["redirect_http_code"] == .null)
            #expect(p["position"] == 1)
            #expect(p["rules"] == [])
            #expect(p["listener_id"] == .string(f.listener))
            #expect(p["admin_state_up"] == true)
            #expect(p["tags"] == ["a"])
            #expect(p["tenant_id"] == p["project_id"])
            let lb = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(f.lb)")
            #expect(lb["loadbalancer"]?["provisioning_status"] == "PENDING_UPDATE")
            let listener = try await api.request(.get, "/v2.0/lbaas/listeners/\(f.listener)")
            #expect(listener["listener"]?["provisioning_status"] == "PENDING_UPDATE")
            let id = try #require(p["id"]?.stringValue)
            #expect(listener["listener"]?["l7policies"] == [["id": .string(id)]])
            // A second write while locked is refused.
            let locked = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT"])
            #expect(locked.status == .conflict)
            #expect(locked.faultstring == "Load Balancer \(f.lb) is immutable and cannot be updated.")

            let list = try await api.request(.get, "/v2.0/lbaas/l7policies?action=REDIRECT_TO_POOL")
            #expect(list["l7policies"]?.arrayValue?.count == 1)
            #expect(list["l7policies_links"] == [])
            let show = try await api.request(.get, "/v2/lbaas/l7policies/\(id)?fields=id&fields=action")
            #expect(show["l7policy"] == ["id": .string(id), "action": "REDIRECT_TO_POOL"])
        }
    }

    @Test func positionsAreOneBasedContiguousAndReordered() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let a = try await api.createPolicy(f)
            let b = try await api.createPolicy(f)
            #expect(try await api.policy(b)?["position"] == 2)
            // Insert at the front: the others move down.
            let c = try await api.createPolicy(f, ["action": "REJECT", "position": 1])
            #expect(try await api.positions(of: f.listener) == [c, a, b])
            // Far past the end: appended, numbered contiguously.
            let d = try await api.createPolicy(f, ["action": "REJECT", "position": 100])
            #expect(try await api.policy(d)?["position"] == 4)
            // Move to the middle.
            let moved = try await api.request(.put, "/v2.0/lbaas/l7policies/\(d)", #"{"l7policy": {"position": 2}}"#)
            #expect(moved.status == .ok)
            #expect(moved["l7policy"]?["position"] == 2)
            #expect(moved["l7policy"]?["provisioning_status"] == "PENDING_UPDATE")
            try await api.settle(f, policy: d)
            #expect(try await api.positions(of: f.listener) == [c, d, a, b])
            for (index, id) in [c, d, a, b].enumerated() {
                #expect(try await api.policy(id)?["position"] == .int(index + 1))
            }
            // Delete marks PENDING_DELETE and keeps the place until the worker removes the row.
            let deleted = try await api.request(.delete, "/v2.0/lbaas/l7policies/\(c)")
            #expect(deleted.status == .noContent)
            #expect(try await api.policy(c)?["provisioning_status"] == "PENDING_DELETE")
            #expect(try await api.request(.get, "/v2.0/lbaas/listeners/\(f.listener)")["listener"]?["provisioning_status"] == "PENDING_UPDATE")
            // Position bounds.
            try await api.settle(f)
            let zero = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT", "position": 0])
            #expect(zero.status == .badRequest)
            #expect(zero.faultstring == "Invalid input for field/attribute position. Value: '0'. Value should be greater or equal to 1")
            let huge = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT", "position": 2_147_483_648])
            #expect(huge.status == .badRequest)
            let max = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT", "position": 2_147_483_647])
            #expect(max.status == .created)
            #expect(max["l7policy"]?["position"] == 5)
        }
    }

    /// validation.md §6, each rule accepted once and rejected once.
    @Test func actionRules() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            func post(_ fields: [String: JSONValue]) async throws -> APIResponse {
                var body = fields
                body["listener_id"] = .string(f.listener)
                let r = try await api.postPolicy(body)
                if r.status == .created, let id = r["l7policy"]?["id"]?.stringValue { try await api.settle(f, policy: id) }
                return r
            }
            // REJECT needs nothing.
            let reject = try await post(["action": "REJECT"])
            #expect(reject.status == .created)
            #expect(reject["l7policy"]?["redirect_http_code"] == .null)
            // REDIRECT_TO_URL needs redirect_url; defaults to 302.
            let noURL = try await post(["action": "REDIRECT_TO_URL"])
            #expect(noURL.status == .badRequest)
            #expect(noURL.faultstring == "Invalid L7 Policy arguments: redirect_url must not be None")
            let url = try await post(["action": "REDIRECT_TO_URL", "redirect_url": "https://example.com/x?y=1"])
            #expect(url.status == .created)
            #expect(url["l7policy"]?["redirect_http_code"] == 302)
            // REDIRECT_TO_POOL needs a pool.
            let noPool = try await post(["action": "REDIRECT_TO_POOL"])
            #expect(noPool.faultstring == "Invalid L7 Policy arguments: redirect_pool_id or redirect_pool must not be None")
            #expect(try await post(["action": "REDIRECT_TO_POOL", "redirect_pool_id": .string(f.pool)]).status == .created)
            // REDIRECT_PREFIX needs a prefix.
            let noPrefix = try await post(["action": "REDIRECT_PREFIX"])
            #expect(noPrefix.faultstring == "Invalid L7 Policy arguments: redirect_prefix must not be None")
            let prefix = try await post(["action": "REDIRECT_PREFIX", "redirect_prefix": "https://www.example.com",
                                         "redirect_http_code": 308])
            #expect(prefix.status == .created)
            #expect(prefix["l7policy"]?["redirect_http_code"] == 308)
            // A given pool / URL / prefix forces its action.
            let forcedPool = try await post(["action": "REJECT", "redirect_pool_id": .string(f.pool), "redirect_http_code": 301])
            #expect(forcedPool["l7policy"]?["action"] == "REDIRECT_TO_POOL")
            #expect(forcedPool["l7policy"]?["redirect_http_code"] == .null)
            let forcedURL = try await post(["action": "REJECT", "redirect_url": "http://example.com"])
            #expect(forcedURL["l7policy"]?["action"] == "REDIRECT_TO_URL")
            let forcedPrefix = try await post(["action": "REDIRECT_TO_URL", "redirect_prefix": "http://example.com"])
            #expect(forcedPrefix.status == .badRequest)  // the URL action still needs its URL
            let forcedPrefix2 = try await post(["action": "REJECT", "redirect_prefix": "http://example.com"])
            #expect(forcedPrefix2["l7policy"]?["action"] == "REDIRECT_PREFIX")
            // Pool together with URL or prefix.
            let both = try await post(["action": "REDIRECT_TO_POOL", "redirect_pool_id": .string(f.pool),
                                       "redirect_url": "http://example.com"])
            #expect(both.status == .badRequest)
            #expect(both.faultstring
                == "Invalid L7 Policy arguments: Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time")
            // URLs: http(s) with a host, no spaces or control characters.
            for bad in ["ftp://example.com/", "http://", "example.com/path", "http://exa mple.com/", "http://example.com/\u{7}"] {
                let r = try await post(["action": "REDIRECT_TO_URL", "redirect_url": .string(bad)])
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.faultstring == "Invalid input for field/attribute redirect_url. Value: '\(bad)'. Value must be a valid URL string")
            }
            // redirect_http_code from the allowed set.
            let badCode = try await post(["action": "REDIRECT_TO_URL", "redirect_url": "http://e.com", "redirect_http_code": 304])
            #expect(badCode.faultstring
                == "Invalid input for field/attribute redirect_http_code. Value: '304'. Value should be one of: 301, 302, 303, 307, 308")
            // Mandatory action and listener.
            let noAction = try await api.postPolicy(["listener_id": .string(f.listener)])
            #expect(noAction.faultstring == "Invalid input for field/attribute action. Value: 'None'. Mandatory field missing.")
            let badAction = try await post(["action": "DROP"])
            #expect(badAction.status == .badRequest)
            let noListener = try await api.postPolicy(["action": "REJECT"])
            #expect(noListener.faultstring == "Invalid input for field/attribute listener_id. Value: 'None'. Mandatory field missing.")
            let unknown = try await post(["action": "REJECT", "bogus": 1])
            #expect(unknown.faultstring == "Unknown attribute for argument l7policy_.l7policy: bogus")
        }
    }

    @Test func redirectPoolAndListenerChecks() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            // Pool must exist.
            let missing = UUID().uuidString.lowercased()
            let r1 = try await api.postPolicy(["listener_id": .string(f.listener), "redirect_pool_id": .string(missing), "action": "REDIRECT_TO_POOL"])
            #expect(r1.status == .notFound)
            #expect(r1.faultstring == "Pool \(missing) not found.")
            // Pool protocol must suit the listener.
            let tcpPool = try await api.createPool(lb: f.lb, protocol: "TCP")
            let r2 = try await api.postPolicy(["listener_id": .string(f.listener), "redirect_pool_id": .string(tcpPool), "action": "REDIRECT_TO_POOL"])
            #expect(r2.status == .badRequest)
            #expect(r2.faultstring == "The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.")
            // Pool on another load balancer: not found.
            let otherLB = try await api.createLB(name: "other")
            let otherPool = try await api.createPool(lb: otherLB)
            let r3 = try await api.postPolicy(["listener_id": .string(f.listener), "redirect_pool_id": .string(otherPool), "action": "REDIRECT_TO_POOL"])
            #expect(r3.status == .notFound)
            // Listener must exist.
            let r4 = try await api.postPolicy(["listener_id": .string(missing), "action": "REJECT"])
            #expect(r4.status == .notFound)
            #expect(r4.faultstring == "Listener \(missing) not found.")
            // Amphora provider: HTTP listeners only (HTTP accepted above).
            let tcpListener = try await api.createListener(lb: f.lb, port: 81, protocol: "TCP")
            let r5 = try await api.postPolicy(["listener_id": .string(tcpListener), "action": "REJECT"])
            #expect(r5.status == .notImplemented)
            #expect(try await api.count(L7Policy.self) == 0)
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(f.lb)")["loadbalancer"]?["provisioning_status"] == "ACTIVE")
            #expect(try await api.postPolicy(["listener_id": .string(f.listener), "redirect_pool_id": .string(f.pool), "action": "REDIRECT_TO_POOL"]).status == .created)
        }
    }

    @Test func updateMergesAndSanitizes() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let id = try await api.createPolicy(f, ["action": "REDIRECT_TO_POOL", "redirect_pool_id": .string(f.pool)])
            let empty = try await api.request(.put, "/v2.0/lbaas/l7policies/\(id)", #"{"l7policy": {}}"#)
            #expect(empty.status == .badRequest)
            #expect(empty.faultstring == "Invalid L7 Policy arguments: Invalid update options")
            // A URL switches the action and clears the pool.
            let toURL = try await api.request(.put, "/v2.0/lbaas/l7policies/\(id)", #"{"l7policy": {"redirect_url": "http://example.com/new"}}"#)
            #expect(toURL.status == .ok)
            #expect(toURL["l7policy"]?["action"] == "REDIRECT_TO_URL")
            #expect(toURL["l7policy"]?["redirect_pool_id"] == .null)
            #expect(toURL["l7policy"]?["redirect_http_code"] == 302)
            try await api.settle(f, policy: id)
            // Action alone without its field is refused; with it, accepted.
            let bare = try await api.request(.put, "/v2.0/lbaas/l7policies/\(id)", #"{"l7policy": {"action": "REDIRECT_PREFIX"}}"#)
            #expect(bare.faultstring == "Invalid L7 Policy arguments: redirect_prefix must not be None")
            let reject = try await api.request(.put, "/v2.0/lbaas/l7policies/\(id)",
                                               #"{"l7policy": {"action": "REJECT", "name": "deny", "admin_state_up": false}}"#)
            #expect(reject["l7policy"]?["action"] == "REJECT")
            #expect(reject["l7policy"]?["redirect_url"] == .null)
            #expect(reject["l7policy"]?["name"] == "deny")
            #expect(reject["l7policy"]?["admin_state_up"] == false)
            // listener_id cannot change.
            try await api.settle(f, policy: id)
            let moveListener = try await api.request(.put, "/v2.0/lbaas/l7policies/\(id)",
                                                     json: ["l7policy": ["listener_id": .string(f.listener)]])
            #expect(moveListener.status == .badRequest)
        }
    }

    @Test func poolDeleteRefusedWhileRedirectedTo() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let id = try await api.createPolicy(f, ["action": "REDIRECT_TO_POOL", "redirect_pool_id": .string(f.pool)])
            let refused = try await api.request(.delete, "/v2.0/lbaas/pools/\(f.pool)")
            #expect(refused.status == .conflict)
            #expect(refused.faultstring == "Pool \(f.pool) is in use by L7 policy \(id)")
            // A pool no policy uses can go.
            #expect(try await api.request(.delete, "/v2.0/lbaas/pools/\(f.defaultPool)").status == .noContent)
        }
    }

    @Test func notFoundAndEmbeddedRules() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let missing = UUID().uuidString.lowercased()
            let r = try await api.request(.get, "/v2.0/lbaas/l7policies/\(missing)")
            #expect(r.status == .notFound)
            #expect(r.faultstring == "L7 Policy \(missing) not found.")
            // Rules given with the policy are created with it.
            let created = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT", "rules": [
                ["type": "PATH", "compare_type": "STARTS_WITH", "value": "/admin"],
            ]])
            #expect(created.status == .created)
            #expect(created["l7policy"]?["rules"]?.arrayValue?.count == 1)
            let bad = try await api.postPolicy(["listener_id": .string(f.listener), "action": "REJECT", "rules": [
                ["type": "PATH", "compare_type": "STARTS_WITH", "value": ""],
            ]])
            #expect(bad.faultstring == "Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a value")
        }
    }
}
