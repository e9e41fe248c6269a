import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Member rules of spec/validation.md §1 and §8.
@Suite struct MemberRuleTests {
    static let path = "/v2.0/lbaas/pools/{pool}/members"

    /// A member POST body with extra JSON members.
    static func body(_ extra: String = "", address: String = "10.0.0.20", port: Int = 80) -> String {
        #"{"member": {"address": "\#(address)", "protocol_port": \#(port)\#(extra.isEmpty ? "" : ", " + extra)}}"#
    }

    static let cases: [ValidationRule] = [
        ValidationRule(rule: "address not in [networking] reserved_ips", path: path, fixture: .member,
                 accepted: body(address: "10.0.0.21"), rejected: body(address: "169.254.169.254"),
                 message: "169.254.169.254 is not a valid option for member address"),
        ValidationRule(rule: "address is an IP address", path: path, fixture: .member, accepted: body(address: "fd00:1::5"),
                 rejected: body(address: "10.0.0"),
                 message: "Invalid input for field/attribute address. Value: '10.0.0'. Value should be IPv4 or IPv6 format"),
        ValidationRule(rule: "subnet_id must exist", path: path, fixture: .member,
                 accepted: body(#""subnet_id": "{subnet}""#), rejected: body(#""subnet_id": "{missing}""#),
                 message: "Subnet {missing} not found."),
        ValidationRule(rule: "request_sriov needs a flavor with allow_member_sriov", path: path, fixture: .member,
                 accepted: body(#""request_sriov": false"#), rejected: body(#""request_sriov": true"#),
                 message: "The load balancer flavor does not allow SR-IOV member ports."),
        ValidationRule(rule: "protocol_port is 1-65535", path: path, fixture: .member, accepted: body(port: 65535),
                 rejected: body(port: 65536),
                 message: "Invalid input for field/attribute protocol_port. Value: '65536'. Value should be lower or equal to 65535"),
        ValidationRule(rule: "weight is 0-256", path: path, fixture: .member, accepted: body(#""weight": 256"#),
                 rejected: body(#""weight": 257"#),
                 message: "Invalid input for field/attribute weight. Value: '257'. Value should be lower or equal to 256"),
        ValidationRule(rule: "monitor_port is 1-65535", path: path, fixture: .member, accepted: body(#""monitor_port": 1"#),
                 rejected: body(#""monitor_port": 0"#),
                 message: "Invalid input for field/attribute monitor_port. Value: '0'. Value should be greater or equal to 1"),
        ValidationRule(rule: "one member per address and port", path: path, fixture: .member,
                 accepted: body(address: "10.0.0.10", port: 81), rejected: body(address: "10.0.0.10", port: 80), status: .conflict,
                 message: "Another member on this pool is already using ip 10.0.0.10 on protocol_port 80"),
        ValidationRule(rule: "weight is 0-256 on PUT", method: .put, path: path + "/{member}", fixture: .member,
                 accepted: #"{"member": {"weight": 0}}"#, rejected: #"{"member": {"weight": -1}}"#,
                 message: "Invalid input for field/attribute weight. Value: '-1'. Value should be greater or equal to 0"),
    ]

    @Test(arguments: cases) func rule(_ c: ValidationRule) async throws {
        try await RuleRunner.check(c)
    }
}
