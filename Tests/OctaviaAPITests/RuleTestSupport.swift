import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// One rule of spec/validation.md: a request it lets through and one it stops.
///
/// Paths, bodies and the message may use `{lb}`, `{lb2}`, `{vip}`, `{listener}`, `{pool}`, `{pool2}`,
/// `{hm}`, `{member}` (ids the fixture made) and `{subnet}`, `{subnet2}`, `{subnet6}`, `{othersubnet}`,
/// `{missing}` (see ``RuleFixture``).
struct ValidationRule: Sendable, CustomStringConvertible {
    var rule: String
    var method: HTTPRequest.Method = .post
    var path: String
    var fixture: RuleFixture = .loadBalancer
    var accepted: String
    var rejected: String
    var status: HTTPResponse.Status = .badRequest
    /// Octavia's faultstring, where the spec or its source gives it.
    var message: String?
    var options: APIOptions?

    var description: String { rule }
}

/// What exists before a rule's requests: an ACTIVE load balancer and, on it, the objects named.
enum RuleFixture: Sendable {
    case loadBalancer
    /// `{lb}` with a listener `{listener}` of this protocol on port 80.
    case listener(String)
    /// `{lb}` with a pool `{pool}` of this protocol and an HTTPS pool `{pool2}`.
    case pools(String)
    /// `.pools("HTTP")` and an HTTP listener `{listener}` on port 80 without a default pool.
    case listenerWithPools
    /// `{lb}` with an HTTP pool `{pool}`, and `{lb2}` with an HTTP pool `{pool2}`.
    case twoLoadBalancers
    /// `{pool}` (HTTP) with a monitor `{hm}` of this type, and a second HTTP pool `{pool2}`.
    case monitor(String)
    /// `{pool}` (HTTP) with a member `{member}` at 10.0.0.10:80.
    case member
    /// `{lb}` created with `vip_sg_ids`.
    case securityGroups

    static let missingID = "0f0e0d0c-0b0a-4908-8706-050403020100"
    static let subnet2 = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"
    static let subnet6 = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
    static let otherNetwork = "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a"
    static let otherSubnet = "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    static let securityGroup = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"

    /// A second IPv4 and an IPv6 subnet on the test network, and a subnet on another network.
    static let extraSubnets = [
        Subnet(id: subnet2, name: "second", networkID: APITestHarness.networkID, cidr: "10.0.1.0/24", gatewayIP: nil),
        Subnet(id: subnet6, name: "v6", networkID: APITestHarness.networkID, cidr: "fd00:1::/64", gatewayIP: nil, ipVersion: 6),
        Subnet(id: otherSubnet, name: "elsewhere", networkID: otherNetwork, cidr: "10.9.0.0/24", gatewayIP: nil),
    ]

    /// Builds the objects; returns placeholder → value.
    func build(_ api: APIClient) async throws -> [String: String] {
        var ids: [String: String] = [:]
        switch self {
        case .securityGroups:
            let r = try await api.request(.post, "/v2.0/lbaas/loadbalancers", json: ["loadbalancer": [
                "vip_subnet_id": .string(APITestHarness.subnetID), "vip_sg_ids": [.string(Self.securityGroup)],
            ]])
            let lb = try #require(r["loadbalancer"]?["id"]?.stringValue, "\(r.json ?? .null)")
            try await api.activate(LoadBalancer.self, lb)
            ids["lb"] = lb
        default:
            ids["lb"] = try await api.createLB()
        }
        let lb = ids["lb"]!
        switch self {
        case .loadBalancer, .securityGroups: break
        case .listener(let proto): ids["listener"] = try await api.createListener(lb: lb, port: 80, protocol: proto)
        case .pools(let proto):
            ids["pool"] = try await api.createPool(lb: lb, protocol: proto)
            ids["pool2"] = try await api.createPool(lb: lb, protocol: "HTTPS")
        case .listenerWithPools:
            ids["pool"] = try await api.createPool(lb: lb, protocol: "HTTP")
            ids["pool2"] = try await api.createPool(lb: lb, protocol: "HTTPS")
            ids["listener"] = try await api.createListener(lb: lb, port: 80, protocol: "HTTP")
        case .twoLoadBalancers:
            ids["pool"] = try await api.createPool(lb: lb)
            let lb2 = try await api.createLB(name: "lb2")
            ids["lb2"] = lb2
            ids["pool2"] = try await api.createPool(lb: lb2)
        case .monitor(let type):
            let pool = try await api.createPool(lb: lb)
            ids["pool"] = pool
            ids["pool2"] = try await api.createPool(lb: lb)
            ids["hm"] = try await api.created("/v2.0/lbaas/healthmonitors", "healthmonitor", [
                "pool_id": .string(pool), "type": .string(type), "delay": 5, "timeout": 3, "max_retries": 2,
            ])
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            try await api.activate(HealthMonitor.self, ids["hm"]!)
        case .member:
            let pool = try await api.createPool(lb: lb)
            ids["pool"] = pool
            ids["member"] = try await api.created("/v2.0/lbaas/pools/\(pool)/members", "member",
                                                  ["address": "10.0.0.10", "protocol_port": 80])
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            try await api.activate(Member.self, ids["member"]!)
        }
        ids["vip"] = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)")["loadbalancer"]?["vip_address"]?.stringValue
        ids["subnet"] = APITestHarness.subnetID
        ids["subnet2"] = Self.subnet2
        ids["subnet6"] = Self.subnet6
        ids["othersubnet"] = Self.otherSubnet
        ids["missing"] = Self.missingID
        return ids
    }
}

/// Runs rule cases: the rejected request first (status, Octavia's body, nothing changed), then the accepted one.
enum RuleRunner {
    static let defaultOptions = APIOptions(noauthDefaultProjectID: "default-project")

    static func check(_ c: ValidationRule) async throws {
        try await APITestHarness(options: c.options ?? defaultOptions, extraSubnets: RuleFixture.extraSubnets).run { api in
            // setup
            let ids = try await c.fixture.build(api)
            let fill = { (text: String) in ids.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) } }
            let before = try await snapshot(api, ids)

            // MUT: the request the rule stops
            let rejected = try await api.request(c.method, fill(c.path), fill(c.rejected))

            // validate
            #expect(rejected.status == c.status, "\(c.rule): \(rejected.json ?? .null)")
            #expect(rejected["faultcode"] == (c.status.code >= 500 ? "Server" : "Client"))
            #expect(rejected["debuginfo"] == .null)
            if let message = c.message { #expect(rejected.faultstring == fill(message), "\(c.rule)") }
            let after = try await snapshot(api, ids)
            #expect(after == before, "\(c.rule): a rejected request changed something")

            // MUT: the request it lets through
            let accepted = try await api.request(c.method, fill(c.path), fill(c.accepted))
            #expect((200..<300).contains(accepted.status.code), "\(c.rule): \(accepted.json ?? .null)")
        }
    }

    /// Everything a rejected request could have touched: pending jobs, row counts and each fixture object.
    static func snapshot(_ api: APIClient, _ ids: [String: String]) async throws -> [JSONValue] {
        var out: [JSONValue] = [
            .int(try await api.jobs()), .int(try await api.count(LoadBalancer.self)), .int(try await api.count(Listener.self)),
            .int(try await api.count(Pool.self)), .int(try await api.count(Member.self)),
            .int(try await api.count(HealthMonitor.self)),
            .int(try await api.count(AdditionalVIP.self)), .int(try await api.count(VIPSecurityGroup.self)),
        ]
        let paths = [("lb", "loadbalancers"), ("lb2", "loadbalancers"), ("listener", "listeners"), ("pool", "pools"),
                     ("pool2", "pools"), ("hm", "healthmonitors")]
        for (key, collection) in paths {
            if let id = ids[key] { out.append(try await api.request(.get, "/v2.0/lbaas/\(collection)/\(id)").json ?? .null) }
        }
        if let member = ids["member"], let pool = ids["pool"] {
            out.append(try await api.request(.get, "/v2.0/lbaas/pools/\(pool)/members/\(member)").json ?? .null)
        }
        return out
    }
}

extension APIClient {
    /// POSTs `{root: body}` to `path` expecting 201; returns the new id.
    func created(_ path: String, _ root: String, _ body: [String: JSONValue]) async throws -> String {
        let r = try await request(.post, path, json: [root: .object(body)])
        #expect(r.status == .created, "\(r.json ?? .null)")
        return try #require(r[root]?["id"]?.stringValue)
    }
}
