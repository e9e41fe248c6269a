import OctaviaCore
import Testing

@testable import OctaviaConfig

@Suite struct LocalNetworkSettingsTests {
    static let path = "/etc/octavia/octavia.conf"
    static let netA = "2f2e0e5a-1b4c-4b8e-9f0a-0d7c1f1e2a3b"
    static let subA = "6d7c0b1e-3a2f-4f6e-8d9c-1b2a3c4d5e6f"
    static let netB = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    static let subB = "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"

    static func section(
        _ name: String, network: String = netA, subnet: String = subA, cidr: String = "10.0.0.0/24",
        extra: String = ""
    ) -> String {
        "[local_network:\(name)]\nnetwork_id = \(network)\nsubnet_id = \(subnet)\ncidr = \(cidr)\n\(extra)"
    }

    func error(_ text: String) -> String? {
        #expect(throws: ConfigError.self) { try OctaviaSettings.parse(text, path: Self.path) }?.description
    }

    @Test func defaultPoolWithoutGatewayIsAllHosts() throws {
        let network = try #require(try OctaviaSettings.parse(Self.section("a"), path: Self.path).localNetworking.networks.first)
        #expect(network.gateway == nil)
        #expect(network.allocationPoolStart.description == "10.0.0.1")
        #expect(network.allocationPoolEnd.description == "10.0.0.254")
    }

    @Test func defaultPoolSkipsGatewayAtTheEnd() throws {
        let text = Self.section("a", extra: "gateway = 10.0.0.254\n")
        let network = try #require(try OctaviaSettings.parse(text, path: Self.path).localNetworking.networks.first)
        #expect(network.allocationPoolStart.description == "10.0.0.1")
        #expect(network.allocationPoolEnd.description == "10.0.0.253")
    }

    @Test func badUUID() {
        #expect(error(Self.section("a", network: "not-a-uuid"))
            == "/etc/octavia/octavia.conf:2: [local_network:a] network_id: 'not-a-uuid' is not a UUID")
    }

    @Test func missingRequiredOption() {
        #expect(error("[local_network:a]\nnetwork_id = \(Self.netA)\ncidr = 10.0.0.0/24\n")
            == "/etc/octavia/octavia.conf:1: [local_network:a] subnet_id: required option is missing")
    }

    @Test func badCIDR() {
        #expect(error(Self.section("a", cidr: "10.0.0.0/33"))
            == "/etc/octavia/octavia.conf:4: [local_network:a] cidr: '10.0.0.0/33' is not an IPv4 CIDR like 10.0.0.0/24")
        #expect(error(Self.section("a", cidr: "10.0.0.5/24"))
            == "/etc/octavia/octavia.conf:4: [local_network:a] cidr: '10.0.0.5/24' has host bits set (did you mean 10.0.0.0/24?)")
        #expect(error(Self.section("a", cidr: "10.0.0.0/31"))
            == "/etc/octavia/octavia.conf:4: [local_network:a] cidr: '10.0.0.0/31' is too small for a subnet (at most /30)")
    }

    @Test func gatewayOutsideCIDR() {
        #expect(error(Self.section("a", extra: "gateway = 10.0.1.1\n"))
            == "/etc/octavia/octavia.conf:5: [local_network:a] gateway: 10.0.1.1 is not a host address in 10.0.0.0/24")
        #expect(error(Self.section("a", extra: "gateway = 10.0.0.255\n"))
            == "/etc/octavia/octavia.conf:5: [local_network:a] gateway: 10.0.0.255 is not a host address in 10.0.0.0/24")
    }

    @Test func badGatewayAddress() {
        #expect(error(Self.section("a", extra: "gateway = 10.0.0.256\n"))
            == "/etc/octavia/octavia.conf:5: [local_network:a] gateway: '10.0.0.256' is not an IPv4 address")
    }

    @Test func poolOutsideCIDR() {
        #expect(error(Self.section("a", extra: "allocation_pool_end = 10.0.1.10\n"))
            == "/etc/octavia/octavia.conf:5: [local_network:a] allocation_pool_end: 10.0.1.10 is not a host address in 10.0.0.0/24")
    }

    @Test func poolStartAfterEnd() {
        let extra = "allocation_pool_start = 10.0.0.20\nallocation_pool_end = 10.0.0.10\n"
        #expect(error(Self.section("a", extra: extra))
            == "/etc/octavia/octavia.conf:6: [local_network:a] allocation_pool_end: 10.0.0.10 is before allocation_pool_start 10.0.0.20")
    }

    @Test func gatewayInsidePool() {
        let extra = "gateway = 10.0.0.1\nallocation_pool_start = 10.0.0.1\n"
        #expect(error(Self.section("a", extra: extra))
            == "/etc/octavia/octavia.conf:5: [local_network:a] gateway: 10.0.0.1 is inside the allocation pool 10.0.0.1-10.0.0.254")
    }

    @Test func overlappingCIDRs() {
        let text = Self.section("a") + "\n" + Self.section("b", network: Self.netB, subnet: Self.subB, cidr: "10.0.0.128/25")
        #expect(error(text)
            == "/etc/octavia/octavia.conf:9: [local_network:b] cidr: 10.0.0.128/25 overlaps 10.0.0.0/24 of [local_network:a]")
    }

    @Test func duplicateNetworkID() {
        let text = Self.section("a") + "\n" + Self.section("b", subnet: Self.subB, cidr: "10.0.1.0/24")
        #expect(error(text)
            == "/etc/octavia/octavia.conf:7: [local_network:b] network_id: \(Self.netA) is already used by [local_network:a]")
    }

    @Test func duplicateSubnetID() {
        let text = Self.section("a") + "\n" + Self.section("b", network: Self.netB, cidr: "10.0.1.0/24")
        #expect(error(text)
            == "/etc/octavia/octavia.conf:8: [local_network:b] subnet_id: \(Self.subA) is already used by [local_network:a]")
    }

    @Test func emptyNetworkName() {
        #expect(error(Self.section(""))
            == "/etc/octavia/octavia.conf:1: [local_network:] '' is not a valid network name")
    }

    @Test func cidrOverlapRules() throws {
        let a = try IPv4CIDR.parse("10.0.0.0/8").get()
        let b = try IPv4CIDR.parse("10.200.0.0/16").get()
        let c = try IPv4CIDR.parse("11.0.0.0/24").get()
        #expect(a.overlaps(b) && b.overlaps(a))
        #expect(!a.overlaps(c))
        #expect(IPv4Address("1.2.3") == nil && IPv4Address("01.2.3.4.5") == nil && IPv4Address("a.b.c.d") == nil)
    }
}
