import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Load-balancer rules of spec/validation.md §9 and api-v2.md §5 (VIP, additional_vips, vip_sg_ids, QoS).
@Suite struct LoadBalancerRuleTests {
    static let path = "/v2.0/lbaas/loadbalancers"

    /// A load balancer POST body on the test subnet with extra JSON members.
    static func body(_ extra: String = "") -> String {
        #"{"loadbalancer": {"vip_subnet_id": "{subnet}"\#(extra.isEmpty ? "" : ", " + extra)}}"#
    }

    static var noopOptions: APIOptions {
        var options = RuleRunner.defaultOptions
        options.enabledProviderDrivers["noop_driver"] = "The no-op driver."
        return options
    }

    /// additional_vips rules, on the noop provider (the amphora provider refuses the field, see below).
    static func additional(_ rule: String, accepted: String, rejected: String, status: HTTPResponse.Status = .badRequest,
                           message: String?) -> ValidationRule {
        ValidationRule(rule: rule, path: path, accepted: body(#""provider": "noop_driver", "additional_vips": \#(accepted)"#),
                 rejected: body(#""provider": "noop_driver", "additional_vips": \#(rejected)"#), status: status,
                 message: message, options: noopOptions)
    }

    static let cases: [ValidationRule] = [
        ValidationRule(rule: "VIP needs a port, network or subnet", path: path, accepted: body(),
                 rejected: #"{"loadbalancer": {"name": "novip"}}"#,
                 message: "Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id."),
        ValidationRule(rule: "vip_subnet_id must exist", path: path, accepted: body(),
                 rejected: #"{"loadbalancer": {"vip_subnet_id": "{missing}"}}"#, message: "Subnet {missing} not found."),
        ValidationRule(rule: "vip_network_id must exist", path: path,
                 accepted: #"{"loadbalancer": {"vip_network_id": "\#(APITestHarness.networkID)"}}"#,
                 rejected: #"{"loadbalancer": {"vip_network_id": "{missing}"}}"#, message: "Network {missing} not found."),
        ValidationRule(rule: "no VIP QoS policy without the QoS extension", path: path, accepted: body(),
                 rejected: body(#""vip_qos_policy_id": "{missing}""#), message: "VIP QoS policy is not allowed in this deployment."),
        ValidationRule(rule: "no VIP QoS policy on PUT either, even null", method: .put, path: path + "/{lb}",
                 accepted: #"{"loadbalancer": {"name": "renamed"}}"#, rejected: #"{"loadbalancer": {"vip_qos_policy_id": null}}"#,
                 message: "VIP QoS policy is not allowed in this deployment."),
        ValidationRule(rule: "vip_sg_ids are UUIDs", path: path, accepted: body(#""vip_sg_ids": ["{missing}"]"#),
                 rejected: body(#""vip_sg_ids": ["default"]"#),
                 message: "Invalid input for field/attribute vip_sg_ids. Value: 'default'. Value should be UUID format"),
        ValidationRule(rule: "vip_sg_ids are UUIDs on PUT", method: .put, path: path + "/{lb}",
                 accepted: #"{"loadbalancer": {"vip_sg_ids": null}}"#, rejected: #"{"loadbalancer": {"vip_sg_ids": ["x"]}}"#,
                 message: "Invalid input for field/attribute vip_sg_ids. Value: 'x'. Value should be UUID format"),
        additional("additional_vips: no subnet twice, the primary's included",
                   accepted: #"[{"subnet_id": "{subnet2}"}]"#, rejected: #"[{"subnet_id": "{subnet}"}]"#,
                   message: "Validation failure: Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet."),
        additional("additional_vips: no subnet twice among themselves",
                   accepted: #"[{"subnet_id": "{subnet2}"}, {"subnet_id": "{subnet6}"}]"#,
                   rejected: #"[{"subnet_id": "{subnet2}"}, {"subnet_id": "{subnet2}", "ip_address": "10.0.1.9"}]"#,
                   message: "Validation failure: Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet."),
        additional("additional_vips: subnets must exist", accepted: #"[{"subnet_id": "{subnet2}"}]"#,
                   rejected: #"[{"subnet_id": "{missing}"}]"#, message: "Validation failure: Subnet {missing} not found"),
        additional("additional_vips: all on the primary VIP's network", accepted: #"[{"subnet_id": "{subnet6}"}]"#,
                   rejected: #"[{"subnet_id": "{othersubnet}"}]"#,
                   message: "Validation failure: All VIP subnets must belong to the same network."),
        additional("additional_vips: an address must be in its subnet",
                   accepted: #"[{"subnet_id": "{subnet2}", "ip_address": "10.0.1.50"}]"#,
                   rejected: #"[{"subnet_id": "{subnet2}", "ip_address": "10.0.2.50"}]"#,
                   message: "IP address 10.0.2.50 is not a valid IP for the specified subnet."),
        additional("additional_vips: an address must be of its subnet's IP version",
                   accepted: #"[{"subnet_id": "{subnet6}", "ip_address": "fd00:1::50"}]"#,
                   rejected: #"[{"subnet_id": "{subnet6}", "ip_address": "10.0.1.50"}]"#,
                   message: "IP address 10.0.1.50 is not a valid IP for the specified subnet."),
        additional("additional_vips: subnet_id is required", accepted: #"[{"subnet_id": "{subnet2}"}]"#,
                   rejected: #"[{"ip_address": "10.0.1.50"}]"#,
                   message: "Invalid input for field/attribute subnet_id. Value: 'None'. Mandatory field missing."),
        ValidationRule(rule: "additional_vips: local amphorae have one VIP address", path: path, accepted: body(),
                 rejected: body(#""additional_vips": [{"subnet_id": "{subnet2}"}]"#), status: .notImplemented,
                 message: "Provider 'amphora' does not support a requested option: additional_vips are not supported by local amphorae."),
    ]

    @Test(arguments: cases) func rule(_ c: ValidationRule) async throws {
        try await RuleRunner.check(c)
    }

    /// Stored and shown as Octavia does: items {subnet_id, ip_address, port_id}, the port being the VIP's;
    /// vip_sg_ids replaced by PUT (null clears them).
    @Test func additionalVIPsAndSecurityGroupsAreShown() async throws {
        try await APITestHarness(options: Self.noopOptions, extraSubnets: RuleFixture.extraSubnets).run { api in
            // setup
            let sg = RuleFixture.securityGroup
            let r = try await api.request(.post, Self.path, json: ["loadbalancer": [
                "vip_subnet_id": .string(APITestHarness.subnetID), "provider": "noop_driver", "vip_sg_ids": [.string(sg)],
                "additional_vips": [["subnet_id": .string(RuleFixture.subnet2), "ip_address": "10.0.1.50"],
                                    ["subnet_id": .string(RuleFixture.subnet6)]],
            ]])
            #expect(r.status == .created, "\(r.json ?? .null)")
            let lb = try #require(r["loadbalancer"])
            let id = try #require(lb["id"]?.stringValue)
            let port = try #require(lb["vip_port_id"]?.stringValue)
            // validate
            let expected: JSONValue = [
                ["subnet_id": .string(RuleFixture.subnet2), "ip_address": "10.0.1.50", "port_id": .string(port)],
                ["subnet_id": .string(RuleFixture.subnet6), "ip_address": .null, "port_id": .string(port)],
            ]
            #expect(lb["additional_vips"] == expected)
            #expect(lb["vip_sg_ids"] == [.string(sg)])
            let shown = try await api.request(.get, "\(Self.path)/\(id)")["loadbalancer"]
            #expect(shown?["additional_vips"] == expected)
            let listed = try await api.request(.get, Self.path)["loadbalancers"]?[0]
            #expect(listed?["additional_vips"] == expected)
            #expect(listed?["vip_sg_ids"] == [.string(sg)])
            // MUT: PUT replaces the groups, null clears them
            try await api.activate(LoadBalancer.self, id)
            let other = RuleFixture.missingID
            let put = try await api.request(.put, "\(Self.path)/\(id)", #"{"loadbalancer": {"vip_sg_ids": ["\#(other)"]}}"#)
            #expect(put["loadbalancer"]?["vip_sg_ids"] == [.string(other)])
            try await api.activate(LoadBalancer.self, id)
            let cleared = try await api.request(.put, "\(Self.path)/\(id)", #"{"loadbalancer": {"vip_sg_ids": null}}"#)
            #expect(cleared["loadbalancer"]?["vip_sg_ids"] == [])
            #expect(try await api.count(VIPSecurityGroup.self) == 0)
            #expect(try await api.count(AdditionalVIP.self) == 2)
        }
    }
}
