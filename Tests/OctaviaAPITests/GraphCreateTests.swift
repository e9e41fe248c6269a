import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// The fully-populated (single-call) load balancer create.
@Suite struct GraphCreateTests {
    static let subnet = JSONValue.string(APITestHarness.subnetID)

    /// A listener with a full default pool (monitor + members) and an L7 policy redirecting to a
    /// second pool defined at the top level and referenced by name.
    static let fullGraph: JSONValue = ["loadbalancer": [
        "name": "graph", "vip_subnet_id": subnet,
        "listeners": [[
            "name": "web", "protocol": "HTTP", "protocol_port": 80,
            "default_pool": [
                "name": "blue", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                "healthmonitor": ["type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "url_path": "/health"],
                "members": [["address": "10.0.0.10", "protocol_port": 8080], ["address": "10.0.0.11", "protocol_port": 8080]],
            ],
            "l7policies": [[
                "name": "to-green", "action": "REDIRECT_TO_POOL", "redirect_pool": ["name": "green"],
                "rules": [["type": "HEADER", "compare_type": "EQUAL_TO", "key": "X-Tier", "value": "green"]],
            ]],
        ]],
        "pools": [[
            "name": "green", "protocol": "HTTP", "lb_algorithm": "LEAST_CONNECTIONS",
            "members": [["address": "10.0.0.20", "protocol_port": 8080]],
        ]],
    ]]

    @Test func fullGraphIsCreatedInOneTransactionWithOneJob() async throws {
        try await APITestHarness().run { api in
            // MUT
            let r = try await api.request(.post, "/v2/lbaas/loadbalancers", json: Self.fullGraph)
            // validate: the response is the full graph
            #expect(r.status == .created, "\(r.json ?? .null)")
            let lb = try #require(r["loadbalancer"])
            #expect(lb["provisioning_status"]?.stringValue == "PENDING_CREATE")
            let listener = try #require(lb["listeners"]?[0])
            #expect(listener["protocol_port"] == .int(80))
            #expect(listener["provisioning_status"]?.stringValue == "PENDING_CREATE")
            let policy = try #require(listener["l7policies"]?[0])
            #expect(policy["action"]?.stringValue == "REDIRECT_TO_POOL")
            #expect(policy["position"] == .int(1))
            #expect(policy["rules"]?[0]?["key"]?.stringValue == "X-Tier")
            let pools = try #require(lb["pools"])
            let green = try #require(pools[0]), blue = try #require(pools[1])
            #expect(green["name"]?.stringValue == "green")
            #expect(blue["name"]?.stringValue == "blue")
            #expect(policy["redirect_pool_id"] == green["id"])
            #expect(listener["default_pool_id"] == blue["id"])
            #expect(blue["healthmonitor"]?["url_path"]?.stringValue == "/health")
            #expect(blue["healthmonitor_id"] == blue["healthmonitor"]?["id"])
            #expect(blue["members"]?[1]?["address"]?.stringValue == "10.0.0.11")
            #expect(blue["members"]?[0]?["operating_status"]?.stringValue == "OFFLINE")
            #expect(green["members"]?[0]?["operating_status"]?.stringValue == "NO_MONITOR")
            #expect(green["healthmonitor"] == .null)
            // validate: everything stored, one job
            #expect(try await api.count(LoadBalancer.self) == 1)
            #expect(try await api.count(Listener.self) == 1)
            #expect(try await api.count(Pool.self) == 2)
            #expect(try await api.count(Member.self) == 3)
            #expect(try await api.count(HealthMonitor.self) == 1)
            #expect(try await api.count(L7Policy.self) == 1)
            #expect(try await api.count(L7Rule.self) == 1)
            #expect(try await api.jobs() == 1)
            // validate: GET shows the ids again
            let id = try #require(lb["id"]?.stringValue)
            let shown = try await api.request(.get, "/v2/lbaas/loadbalancers/\(id)")
            #expect(shown["loadbalancer"]?["pools"]?[1]?["id"] == blue["id"])
        }
    }

    /// One rejected request each; nothing is written and no job is queued.
    static let rejections: [(String, JSONValue, HTTPResponse.Status, String)] = [
        ("missing pool name", ["listeners": [["protocol": "HTTP", "protocol_port": 80,
                                              "default_pool": ["protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"]]]],
         .badRequest, "Validation failure: Pools must be named when creating a fully populated loadbalancer."),
        ("duplicate names", ["pools": [["name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"],
                                       ["name": "p", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"]]],
         .badRequest, "Validation failure: Pool names must be unique when creating a fully populated loadbalancer."),
        ("undefined reference", ["listeners": [["protocol": "HTTP", "protocol_port": 80, "default_pool": ["name": "nope"]]]],
         .badRequest, "Validation failure: Pool 'nope' was referenced but no full definition was found."),
        ("listener with loadbalancer_id", ["listeners": [["protocol": "HTTP", "protocol_port": 80,
                                                          "loadbalancer_id": "9c5f3a4e-1c2b-4d6e-8f70-0a1b2c3d4e5f"]]],
         .badRequest, "Unknown attribute for argument load_balancer.loadbalancer.listeners: loadbalancer_id"),
        ("pool without protocol", ["pools": [["name": "p", "lb_algorithm": "ROUND_ROBIN"]]],
         .badRequest, "Validation failure: Pool definition for 'p' missing required attribute: protocol"),
        ("invalid nested monitor", ["pools": [["name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                               "healthmonitor": ["type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 99]]]],
         .badRequest, "Invalid input for field/attribute max_retries. Value: '99'. Value should be lower or equal to 10"),
        ("monitor type vs pool protocol", ["pools": [["name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                                      "healthmonitor": ["type": "UDP-CONNECT", "delay": 5, "timeout": 3,
                                                                        "max_retries": 2]]]],
         .badRequest, "Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP."),
        ("duplicate listener port", ["listeners": [["protocol": "HTTP", "protocol_port": 80], ["protocol": "TCP", "protocol_port": 80]]],
         .conflict, "Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80"),
        ("incompatible default pool", ["listeners": [["protocol": "HTTP", "protocol_port": 80, "default_pool": [
            "name": "t", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"]]]],
         .badRequest, "The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'."),
        ("PROMETHEUS listener with a default pool", ["listeners": [["protocol": "PROMETHEUS", "protocol_port": 8404,
            "default_pool": ["name": "h", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"]]]],
         .badRequest, "Protocol PROMETHEUS listeners cannot have child objects."),
        ("invalid nested rule", ["listeners": [["protocol": "HTTP", "protocol_port": 80, "l7policies": [[
            "action": "REJECT", "rules": [["type": "HEADER", "compare_type": "EQUAL_TO", "value": "x"]]]]]]],
         .badRequest, "Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key"),
    ]

    @Test(arguments: rejections.indices)
    func rejectedGraphWritesNothing(index: Int) async throws {
        let (label, extra, status, message) = Self.rejections[index]
        try await APITestHarness().run { api in
            guard case .object(var body) = extra else { return }
            body["vip_subnet_id"] = Self.subnet
            // MUT
            let r = try await api.request(.post, "/v2/lbaas/loadbalancers", json: ["loadbalancer": .object(body)])
            // validate
            #expect(r.status == status, "\(label): \(r.json ?? .null)")
            #expect(r.faultstring == message, "\(label)")
            #expect(try await api.count(LoadBalancer.self) == 0)
            #expect(try await api.count(Pool.self) == 0)
            #expect(try await api.count(Listener.self) == 0)
            #expect(try await api.count(HealthMonitor.self) == 0)
            #expect(try await api.jobs() == 0)
        }
    }

    @Test func quotaCoversTheWholeSet() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enforceQuotas = true
        try await APITestHarness(options: options).run { api in
            let put = try await api.request(.put, "/v2/lbaas/quotas/default-project", json: ["quota": ["member": 2]])
            #expect(put.status == .accepted)
            // MUT: three members against a quota of two
            let r = try await api.request(.post, "/v2/lbaas/loadbalancers", json: Self.fullGraph)
            #expect(r.status == .forbidden)
            #expect(r.faultstring == "Quota has been met for resources: Member")
            #expect(try await api.count(LoadBalancer.self) == 0)
            #expect(try await api.count(Member.self) == 0)
        }
    }
}
