import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct L7RuleAPITests {
    @Test func createLocksLoadBalancerListenerAndPolicy() async throws {
        try await APITestHarness().run { api in
            // setup
            let f = try await api.l7Fixture()
            let policy = try await api.createPolicy(f)

            // MUT
            let r = try await api.postRule(policy, ["type": "HEADER", "compare_type": "EQUAL_TO", "key": "X-Version", "value": "v2",
                                                    "invert": true, "tags": ["t"]])

            // validate
            #expect(r.status == .created)
            let rule = try #require(r["rule"])
            #expect(rule["type"] == "HEADER")
            #expect(rule["compare_type"] == "EQUAL_TO")
            #expect(rule["key"] == "X-Version")
            #expect(rule["value"] == "v2")
            #expect(rule["invert"] == true)
            #expect(rule["admin_state_up"] == true)
            #expect(rule["provisioning_status"] == "PENDING_CREATE")
            #expect(rule["operating_status"] == "OFFLINE")
            #expect(rule["tags"] == ["t"])
            let id = try #require(rule["id"]?.stringValue)
            #expect(try await api.policy(policy)?["provisioning_status"] == "PENDING_UPDATE")
            #expect(try await api.policy(policy)?["rules"] == [["id": .string(id)]])
            #expect(try await api.request(.get, "/v2.0/lbaas/listeners/\(f.listener)")["listener"]?["provisioning_status"] == "PENDING_UPDATE")
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(f.lb)")["loadbalancer"]?["provisioning_status"] == "PENDING_UPDATE")
            // The policy is not ACTIVE: the next rule write is refused with the policy's name.
            let locked = try await api.postRule(policy, ["type": "PATH", "compare_type": "CONTAINS", "value": "x"])
            #expect(locked.status == .conflict)
            #expect(locked.faultstring == "L7Policy \(policy) is immutable and cannot be updated.")
            // Envelope `rules` / `rules_links`; GET one under `rule`.
            let list = try await api.request(.get, "/v2.0/lbaas/l7policies/\(policy)/rules")
            #expect(list["rules"]?.arrayValue?.count == 1)
            #expect(list["rules_links"] == [])
            // openstacksdk also sends the policy as a filter.
            let filtered = try await api.request(.get, "/v2.0/lbaas/l7policies/\(policy)/rules?l7policy_id=\(policy)")
            #expect(filtered["rules"]?.arrayValue?.count == 1)
            let show = try await api.request(.get, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)")
            #expect(show["rule"]?["id"] == .string(id))
        }
    }

    @Test func updateValidatesMergedRuleAndDeleteMarksPending() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let policy = try await api.createPolicy(f)
            let created = try await api.postRule(policy, ["type": "PATH", "compare_type": "STARTS_WITH", "value": "/api"])
            let id = try #require(created["rule"]?["id"]?.stringValue)
            try await api.settle(f, policy: policy, rule: id)
            // HEADER needs a key the PATH rule does not have: the merged rule is invalid.
            let noKey = try await api.request(.put, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)", #"{"rule": {"type": "HEADER"}}"#)
            #expect(noKey.status == .badRequest)
            #expect(noKey.faultstring == "Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key")
            let ok = try await api.request(.put, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)",
                                           #"{"rule": {"type": "HEADER", "key": "Host", "invert": null}}"#)
            #expect(ok.status == .ok)
            #expect(ok["rule"]?["key"] == "Host")
            #expect(ok["rule"]?["value"] == "/api")
            #expect(ok["rule"]?["invert"] == false)
            #expect(ok["rule"]?["provisioning_status"] == "PENDING_UPDATE")
            try await api.settle(f, policy: policy, rule: id)
            // Back to a key-less type: the key is dropped.
            let path = try await api.request(.put, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)", #"{"rule": {"type": "PATH"}}"#)
            #expect(path["rule"]?["key"] == .null)
            try await api.settle(f, policy: policy, rule: id)
            // A rule under another policy is not found there.
            let other = try await api.createPolicy(f)
            let wrong = try await api.request(.get, "/v2.0/lbaas/l7policies/\(other)/rules/\(id)")
            #expect(wrong.status == .notFound)
            let missing = UUID().uuidString.lowercased()
            let noPolicy = try await api.request(.get, "/v2.0/lbaas/l7policies/\(missing)/rules")
            #expect(noPolicy.faultstring == "L7Policy \(missing) not found.")
            // Delete.
            #expect(try await api.request(.delete, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)").status == .noContent)
            let gone = try await api.request(.get, "/v2.0/lbaas/l7policies/\(policy)/rules/\(id)")
            #expect(gone["rule"]?["provisioning_status"] == "PENDING_DELETE")
            #expect(try await api.policy(policy)?["provisioning_status"] == "PENDING_UPDATE")
        }
    }

    @Test func fiftyRulesPerPolicy() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let policy = try await api.createPolicy(f)
            for n in 1...50 {
                let r = try await api.postRule(policy, ["type": "PATH", "compare_type": "EQUAL_TO", "value": .string("/p\(n)")])
                #expect(r.status == .created)
                try await api.settle(f, policy: policy)
            }
            let r = try await api.postRule(policy, ["type": "PATH", "compare_type": "EQUAL_TO", "value": "/p51"])
            #expect(r.status == .conflict)
            #expect(r.faultstring == "Too many rules on L7 policy \(policy)")
        }
    }

    /// validation.md §7: for every rule, one accepted and one rejected case.
    @Test(arguments: [
        // value required
        RuleCase(.accept, "PATH", "EQUAL_TO", nil, "/x"),
        RuleCase(.reject("Invalid L7 Rule: L7 rule type requires a value"), "PATH", "EQUAL_TO", nil, ""),
        // HOST_NAME / PATH: header-value charset for plain compares, compiling regexes
        RuleCase(.accept, "HOST_NAME", "ENDS_WITH", nil, ".example.com"),
        RuleCase(.reject("Invalid characters in comparison value"), "HOST_NAME", "EQUAL_TO", nil, "a b"),
        RuleCase(.accept, "PATH", "REGEX", nil, "^/api/v[0-9]+$"),
        RuleCase(.rejectPrefix("Unable to parse regular expression: "), "PATH", "REGEX", nil, "^/api/(v1"),
        // FILE_TYPE: EQUAL_TO or REGEX only
        RuleCase(.accept, "FILE_TYPE", "EQUAL_TO", nil, "jpg"),
        RuleCase(.accept, "FILE_TYPE", "REGEX", nil, "jpe?g"),
        RuleCase(.reject("Invalid L7 Rule: invalid comparison type for rule type"), "FILE_TYPE", "STARTS_WITH", nil, "jp"),
        // HEADER: token key; value visible ASCII or quoted
        RuleCase(.accept, "HEADER", "CONTAINS", "User-Agent", #""Mozilla 5.0""#),
        RuleCase(.reject("Invalid L7 Rule: L7 rule type requires a key"), "HEADER", "EQUAL_TO", nil, "v"),
        RuleCase(.reject("Invalid characters in key"), "HEADER", "EQUAL_TO", "X Bad", "v"),
        RuleCase(.reject("Invalid characters in header value"), "HEADER", "EQUAL_TO", "X-Ok", "two words"),
        RuleCase(.accept, "HEADER", "REGEX", "X-Ok", "two words?"),
        // COOKIE: token key; cookie value charset
        RuleCase(.accept, "COOKIE", "EQUAL_TO", "session", "abc123"),
        RuleCase(.reject("Invalid L7 Rule: L7 rule type requires a key"), "COOKIE", "EQUAL_TO", nil, "abc"),
        RuleCase(.reject("Invalid characters in cookie value"), "COOKIE", "EQUAL_TO", "session", "a;b"),
        // SSL_CONN_HAS_CERT: no key, value true, EQUAL_TO
        RuleCase(.accept, "SSL_CONN_HAS_CERT", "EQUAL_TO", nil, "True"),
        RuleCase(.reject(#"Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT does not use the "key" field."#),
                 "SSL_CONN_HAS_CERT", "EQUAL_TO", "k", "true"),
        RuleCase(.reject("Invalid L7 Rule: L7rule value false is not a boolean True string."), "SSL_CONN_HAS_CERT", "EQUAL_TO", nil, "false"),
        RuleCase(.reject("Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT only supports the EQUAL_TO compare type."),
                 "SSL_CONN_HAS_CERT", "STARTS_WITH", nil, "true"),
        // SSL_VERIFY_RESULT: no key, non-negative integer, EQUAL_TO
        RuleCase(.accept, "SSL_VERIFY_RESULT", "EQUAL_TO", nil, "0"),
        RuleCase(.reject("Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0"),
                 "SSL_VERIFY_RESULT", "EQUAL_TO", nil, "-1"),
        RuleCase(.reject(#"Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT does not use the "key" field."#),
                 "SSL_VERIFY_RESULT", "EQUAL_TO", "k", "1"),
        RuleCase(.reject("Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT only supports the EQUAL_TO compare type."),
                 "SSL_VERIFY_RESULT", "CONTAINS", nil, "1"),
        // SSL_DN_FIELD: key required and shaped like a DN field
        RuleCase(.accept, "SSL_DN_FIELD", "EQUAL_TO", "CN", "client1"),
        RuleCase(.reject("Invalid L7 Rule: L7rule type SSL_DN_FIELD needs to specify a key and a value."),
                 "SSL_DN_FIELD", "EQUAL_TO", nil, "client1"),
        RuleCase(.reject("Invalid L7 Rule: Invalid L7rule distinguished name field."), "SSL_DN_FIELD", "EQUAL_TO", "1CN", "x"),
    ])
    func ruleValidation(_ c: RuleCase) async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let policy = try await api.createPolicy(f)
            var body: [String: JSONValue] = ["type": .string(c.type), "compare_type": .string(c.compareType), "value": .string(c.value)]
            if let key = c.key { body["key"] = .string(key) }
            let r = try await api.postRule(policy, body)
            switch c.outcome {
            case .accept:
                #expect(r.status == .created, "\(r.json ?? .null)")
            case .reject(let reason):
                #expect(r.status == .badRequest)
                #expect(r.faultstring == "Error parsing L7Rule: \(reason)")
            case .rejectPrefix(let reason):
                #expect(r.status == .badRequest)
                #expect(r.faultstring?.hasPrefix("Error parsing L7Rule: \(reason)") == true)
            }
            if r.status != .created {
                #expect(try await api.count(L7Rule.self) == 0)
                #expect(try await api.policy(policy)?["provisioning_status"] == "ACTIVE")
            }
        }
    }

    @Test func typeLayerChecks() async throws {
        try await APITestHarness().run { api in
            let f = try await api.l7Fixture()
            let policy = try await api.createPolicy(f)
            let crlf = try await api.postRule(policy, ["type": "HEADER", "compare_type": "EQUAL_TO", "key": "X-A", "value": "a\r\nb"])
            #expect(crlf.status == .badRequest)
            #expect(crlf.faultstring?.hasPrefix("Invalid input for field/attribute value.") == true)
            let keyCRLF = try await api.postRule(policy, ["type": "HEADER", "compare_type": "EQUAL_TO", "key": "X\nA", "value": "a"])
            #expect(keyCRLF.status == .badRequest)
            let noType = try await api.postRule(policy, ["compare_type": "EQUAL_TO", "value": "a"])
            #expect(noType.faultstring == "Invalid input for field/attribute type. Value: 'None'. Mandatory field missing.")
            let badCompare = try await api.postRule(policy, ["type": "PATH", "compare_type": "LIKE", "value": "a"])
            #expect(badCompare.status == .badRequest)
            let long = try await api.postRule(policy, ["type": "PATH", "compare_type": "EQUAL_TO", "value": .string(String(repeating: "a", count: 256))])
            #expect(long.status == .badRequest)
            let envelope = try await api.request(.post, "/v2.0/lbaas/l7policies/\(policy)/rules",
                                                 json: ["l7rule": ["type": "PATH", "compare_type": "EQUAL_TO", "value": "a"]])
            #expect(envelope.status == .badRequest)
        }
    }
}

struct RuleCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable { case accept, reject(String), rejectPrefix(String) }
    var outcome: Outcome
    var type: String, compareType: String, key: String?, value: String

    init(_ outcome: Outcome, _ type: String, _ compareType: String, _ key: String?, _ value: String) {
        self.outcome = outcome; self.type = type; self.compareType = compareType; self.key = key; self.value = value
    }

    var testDescription: String { "\(type) \(compareType) key=\(key ?? "-") value=\(value)" }
}
