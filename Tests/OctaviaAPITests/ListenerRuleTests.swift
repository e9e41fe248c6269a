import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Listener rules of spec/validation.md §1–§3 (TLS rules: TLSValidationTests).
@Suite struct ListenerRuleTests {
    static let path = "/v2.0/lbaas/listeners"

    /// A listener POST body on `{lb}` with extra JSON members.
    static func body(_ extra: String = "", proto: String = "HTTP", port: Int = 80) -> String {
        #"{"listener": {"loadbalancer_id": "{lb}", "protocol": "\#(proto)", "protocol_port": \#(port)\#(extra.isEmpty ? "" : ", " + extra)}}"#
    }

    static let timeoutCases = ["timeout_client_data", "timeout_member_connect", "timeout_member_data", "timeout_tcp_inspect"].map {
        ValidationRule(rule: "\($0) is 0-2073600000 ms", path: path, accepted: body(#""\#($0)": 2073600000"#),
                 rejected: body(#""\#($0)": 2073600001"#),
                 message: "Invalid input for field/attribute \($0). Value: '2073600001'. Value should be lower or equal to 2073600000")
    }

    static let cases: [ValidationRule] = [
        ValidationRule(rule: "protocol_port is 1-65535", path: path, accepted: body(port: 65535), rejected: body(port: 0),
                 message: "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"),
        ValidationRule(rule: "connection_limit is at least -1", path: path, accepted: body(#""connection_limit": -1"#),
                 rejected: body(#""connection_limit": -2"#),
                 message: "Invalid input for field/attribute connection_limit. Value: '-2'. Value should be greater or equal to -1"),
        ValidationRule(rule: "name is at most 255 characters", path: path,
                 accepted: body(#""name": "\#(String(repeating: "n", count: 255))""#),
                 rejected: body(#""name": "\#(String(repeating: "n", count: 256))""#),
                 message: "Invalid input for field/attribute name. Value: '\(String(repeating: "n", count: 256))'. "
                     + "Value should have a maximum character requirement of 255"),
        ValidationRule(rule: "default pool protocol must suit the listener (POST)", path: path, fixture: .pools("HTTP"),
                 accepted: body(#""default_pool_id": "{pool}""#), rejected: body(#""default_pool_id": "{pool2}""#),
                 message: "The pool protocol 'HTTPS' is invalid while the listener protocol is 'HTTP'."),
        ValidationRule(rule: "default pool protocol must suit the listener (PUT)", method: .put, path: path + "/{listener}",
                 fixture: .listenerWithPools, accepted: #"{"listener": {"default_pool_id": "{pool}"}}"#,
                 rejected: #"{"listener": {"default_pool_id": "{pool2}"}}"#,
                 message: "The pool protocol 'HTTPS' is invalid while the listener protocol is 'HTTP'."),
        ValidationRule(rule: "default pool must be on the same load balancer", path: path, fixture: .twoLoadBalancers,
                 accepted: body(#""default_pool_id": "{pool}""#), rejected: body(#""default_pool_id": "{pool2}""#),
                 status: .notFound, message: "Pool {pool2} not found."),
        ValidationRule(rule: "PROMETHEUS listeners take no default pool", path: path, fixture: .pools("HTTP"),
                 accepted: body(proto: "PROMETHEUS", port: 9100), rejected: body(#""default_pool_id": "{pool}""#, proto: "PROMETHEUS", port: 9100),
                 message: "Protocol PROMETHEUS listeners cannot have child objects."),
        ValidationRule(rule: "one listener per L4 protocol and port", path: path, fixture: .listener("TCP"),
                 accepted: body(port: 81), rejected: body(port: 80), status: .conflict,
                 message: "Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80"),
        ValidationRule(rule: "insert_headers only on HTTP and TERMINATED_HTTPS", path: path,
                 accepted: body(#""insert_headers": {"X-Forwarded-For": "true"}"#),
                 rejected: body(#""insert_headers": {"X-Forwarded-For": "true"}"#, proto: "TCP"),
                 message: "insert-headers is not a valid option for a TCP protocol listener."),
        ValidationRule(rule: "insert_headers keys are Octavia's list", path: path,
                 accepted: body(#""insert_headers": {"X-Forwarded-Port": "true", "X-Real-IP": "true"}"#),
                 rejected: body(#""insert_headers": {"X-Bogus": "true"}"#),
                 message: "dict_keys(['X-Bogus']) is not a valid option for insert_headers"),
        ValidationRule(rule: "client-certificate headers only on TERMINATED_HTTPS", path: path,
                 accepted: body(#""insert_headers": {"X-Forwarded-Proto": "true"}"#),
                 rejected: body(#""insert_headers": {"X-SSL-Client-CN": "true"}"#),
                 message: "['X-SSL-Client-CN'] is not a valid option for HTTP protocol listener."),
        ValidationRule(rule: "allowed_cidrs must match a VIP's IP family", path: path,
                 accepted: body(#""allowed_cidrs": ["192.0.2.7/24"]"#), rejected: body(#""allowed_cidrs": ["2001:db8::/64"]"#),
                 message: "Validation failure: CIDR 2001:db8::/64 IP version incompatible with all VIPs ['{vip}'] IP version."),
        ValidationRule(rule: "allowed_cidrs not with custom VIP security groups", path: path, fixture: .securityGroups,
                 accepted: body(), rejected: body(#""allowed_cidrs": ["192.0.2.0/24"]"#),
                 message: "Validation failure: Allowed CIDRs are not allowed when using custom VIP Security Groups."),
    ] + timeoutCases

    @Test(arguments: cases) func rule(_ c: ValidationRule) async throws {
        try await RuleRunner.check(c)
    }
}
