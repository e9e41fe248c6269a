import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Malformed requests: right status, Octavia's body, nothing written.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method = .post
        var path: String
        var body: String?
        var status: HTTPResponse.Status = .badRequest
        var message: String?
        var description: String { "\(method) \(path) \(body ?? "")" }
    }

    static let lbPath = "/v2.0/lbaas/loadbalancers"
    static let missingID = "0f0e0d0c-0b0a-4908-8706-050403020100"

    /// `LB` in paths and bodies is replaced with an ACTIVE load balancer's id.
    static let cases: [Case] = [
        Case(path: lbPath, body: "{not json", message: "Request is not in valid JSON format"),
        Case(path: lbPath, body: "", message: "Missing argument: \"load_balancer\""),
        Case(path: lbPath, body: "[]"),
        Case(path: lbPath, body: #"{"lb": {}}"#, message: "Unknown attribute for argument load_balancer: lb"),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "bogus": 1}}"#,
             message: "Unknown attribute for argument load_balancer.loadbalancer: bogus"),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "nope"}}"#,
             message: "Invalid input for field/attribute vip_subnet_id. Value: 'nope'. Value should be UUID format"),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "name": 5}}"#,
             message: "Invalid input for field/attribute name. Value: '5'. Wrong type. Expected '<class 'str'>', got '<class 'int'>'"),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "vip_address": "10.0.0.300"}}"#,
             message: "Invalid input for field/attribute vip_address. Value: '10.0.0.300'. Value should be IPv4 or IPv6 format"),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "admin_state_up": "maybe"}}"#),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "flavor_id": "\#(missingID)"}}"#),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol_port": 80}}"#,
             message: "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing."),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 0}}"#,
             message: "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 65536}}"#,
             message: "Invalid input for field/attribute protocol_port. Value: '65536'. Value should be lower or equal to 65535"),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": "80"}}"#),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "FTP", "protocol_port": 21}}"#),
        Case(path: "/v2.0/lbaas/listeners", body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "UDP", "protocol_port": 53}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "TERMINATED_HTTPS", "protocol_port": 443}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 80, "default_tls_container_ref": "x"}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 80, "connection_limit": -2}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 80, "timeout_client_data": 2073600001}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "TCP", "protocol_port": 80, "insert_headers": {"X-Forwarded-For": "true"}}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "\#(missingID)", "protocol": "HTTP", "protocol_port": 80}}"#,
             status: .notFound, message: "Load Balancer \(missingID) not found."),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 80, "default_pool_id": "\#(missingID)"}}"#,
             status: .notFound, message: "Pool \(missingID) not found."),
        Case(path: "/v2.0/lbaas/pools",
             body: #"{"pool": {"loadbalancer_id": "LB", "protocol": "HTTP", "lb_algorithm": "RANDOM"}}"#),
        Case(path: "/v2.0/lbaas/pools",
             body: #"{"pool": {"loadbalancer_id": "LB", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "APP_COOKIE"}}}"#),
        Case(path: "/v2.0/lbaas/pools",
             body: #"{"pool": {"loadbalancer_id": "LB", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "SOURCE_IP", "cookie_name": "a"}}}"#),
        Case(path: "/v2.0/lbaas/pools",
             body: #"{"pool": {"loadbalancer_id": "LB", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "tls_enabled": true, "tls_versions": []}}"#),
        Case(path: "/v2.0/lbaas/pools",
             body: #"{"pool": {"listener_id": "\#(missingID)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#,
             status: .notFound, message: "Listener \(missingID) not found."),
        Case(path: "/v2.0/lbaas/pools/\(missingID)/members", body: #"{"member": {"address": "10.0.0.5", "protocol_port": 80}}"#,
             status: .notFound, message: "Pool \(missingID) not found."),
        Case(path: "/v2.0/lbaas/healthmonitors",
             body: #"{"healthmonitor": {"pool_id": "\#(missingID)", "type": "TCP", "delay": 1, "timeout": 1, "max_retries": 1}}"#,
             status: .notFound, message: "Pool \(missingID) not found."),
        Case(path: "/v2.0/lbaas/healthmonitors",
             body: #"{"healthmonitor": {"pool_id": "\#(missingID)", "type": "TCP", "delay": 1, "timeout": 1, "max_retries": 11}}"#,
             message: "Invalid input for field/attribute max_retries. Value: '11'. Value should be lower or equal to 10"),
        Case(path: "/v2.0/lbaas/healthmonitors",
             body: #"{"healthmonitor": {"pool_id": "\#(missingID)", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "expected_codes": "2xx"}}"#),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers/not-a-uuid", status: .notFound,
             message: "Load Balancer not-a-uuid not found."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers/\(missingID)", status: .notFound,
             message: "Load Balancer \(missingID) not found."),
        Case(method: .put, path: "/v2.0/lbaas/loadbalancers/LB", body: #"{"loadbalancer": {"vip_address": "10.0.0.9"}}"#,
             message: "Unknown attribute for argument load_balancer.loadbalancer: vip_address"),
        Case(method: .put, path: "/v2.0/lbaas/loadbalancers/LB", body: #"{"loadbalancer": {"tags": "x"}}"#),
        Case(method: .delete, path: "/v2.0/lbaas/listeners/\(missingID)", status: .notFound),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?color=red", message: "One or more arguments are either duplicate or invalid"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?name=a&name=b", message: "One or more arguments are either duplicate or invalid"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=color:asc", message: "Supplied sort key 'color' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=x"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?marker=\(missingID)"),
        Case(method: .get, path: "/v2.0/lbaas/listeners?protocol_port=eighty"),
        // Query strings that once trapped or could: each is a 400, never a crash.
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=:"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=::"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=,", message: "Supplied sort key '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=:asc", message: "Supplied sort key '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=name:", message: "Supplied sort direction '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=name:up", message: "Supplied sort direction 'up' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=name:asc:desc"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=name,,id", message: "Supplied sort key '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort=%C3%A9%F0%9F%92%A5", message: "Supplied sort key 'é💥' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort_key=name&sort_dir=asc,desc"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort_dir=desc"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort_key=name&sort_key=id&sort_dir=asc&sort_dir=desc&sort_dir=asc"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort_key=,", message: "Supplied sort key '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?sort_key=name&sort_dir=sideways"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=", message: "Supplied pagination limit '' is not valid."),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=-"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=1.5"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=1e3"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=%D9%A1"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?limit=0x10"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?marker="),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?marker=%C3%A9"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?marker=\(missingID)&limit=1&page_reverse=true"),
        Case(method: .get, path: "/v2.0/lbaas/listeners?protocol_port=99999999999999999999"),
        Case(method: .get, path: "/v2.0/lbaas/listeners?protocol_port="),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?admin_state_up=%C3%A9"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers?=x"),
        Case(method: .get, path: "/v2.0/lbaas/loadbalancers/%C3%A9", status: .notFound),
        Case(method: .get, path: "/v2.0/lbaas/pools/%00/members", status: .notFound),
        Case(method: .get, path: "/v2.0/lbaas/pools/\(missingID)/members/%F0%9F%92%A5", status: .notFound),
        // Bodies at the edges of JSON.
        Case(path: lbPath, body: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        Case(path: lbPath, body: #"{"loadbalancer": "# + String(repeating: #"{"a": "#, count: 5_000) + "1" + String(repeating: "}", count: 5_001)),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 99999999999999999999999}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": 1e400}}"#),
        Case(path: "/v2.0/lbaas/listeners",
             body: #"{"listener": {"loadbalancer_id": "LB", "protocol": "HTTP", "protocol_port": -9223372036854775808}}"#),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "name": "\u0000\ud800"}}"#),
        Case(path: lbPath, body: #"{"loadbalancer": {"vip_subnet_id": "SUBNET", "vip_address": "١٠.0.0.5"}}"#),
        Case(path: "/v2.0/lbaas/healthmonitors",
             body: #"{"healthmonitor": {"pool_id": "\#(missingID)", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "expected_codes": "٢٠٠"}}"#),
    ]

    /// Odd but valid list queries: answered (200), never a crash.
    static let acceptedQueries = [
        "limit=-1", "limit=0", "limit=99999999999999999999", "limit=-99999999999999999999", "limit=infinite",
        "limit=1&limit=2", "page_reverse=maybe", "page_reverse=", "fields=", "fields=,", "fields=%C3%A9", "sort=",
        "sort_key=", "sort=name&sort=id:desc", "sort=name:DESC", "sort_key=name,id&sort_dir=desc",
        "sort=name&sort_key=bogus", "name=%C3%A9%F0%9F%92%A5", "name=%00", "name=", "tags=", "not-tags-any=,",
    ]

    @Test(arguments: acceptedQueries) func oddQueriesAreAnswered(_ query: String) async throws {
        try await APITestHarness().run { api in
            _ = try await api.createLB()
            let r = try await api.request(.get, "/v2.0/lbaas/loadbalancers?\(query)")
            #expect(r.status == .ok, "\(r.json ?? .null)")
            #expect(r["loadbalancers"]?.arrayValue != nil)
            #expect(try await api.request(.get, "/").status == .ok)
        }
    }

    @Test(arguments: cases) func rejected(_ c: Case) async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let before = (try await api.jobs(), try await api.count(Listener.self), try await api.count(Pool.self),
                          try await api.count(LoadBalancer.self))
            let path = c.path.replacingOccurrences(of: "LB", with: lb)
            let body = c.body?.replacingOccurrences(of: "\"LB\"", with: "\"\(lb)\"")
                .replacingOccurrences(of: "SUBNET", with: APITestHarness.subnetID)
            let r = try await api.request(c.method, path, body)
            #expect(r.status == c.status, "\(r.json ?? .null)")
            #expect(r["faultcode"] == "Client")
            #expect(r["debuginfo"] == .null)
            if let message = c.message { #expect(r.faultstring == message) }
            let after = (try await api.jobs(), try await api.count(Listener.self), try await api.count(Pool.self),
                         try await api.count(LoadBalancer.self))
            #expect(after == before)
            let status = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)")["loadbalancer"]?["provisioning_status"]
            #expect(status == "ACTIVE")
        }
    }
}
