import OctaviaCore
import Testing

@Suite struct IPv4AddressTests {
    @Test(arguments: [("0.0.0.0", UInt32(0)), ("10.0.0.1", 0x0A00_0001), ("255.255.255.255", .max), ("192.168.1.10", 0xC0A8_010A)])
    func parsesDottedQuad(_ text: String, _ value: UInt32) {
        #expect(IPv4Address(text)?.value == value)
        #expect(IPv4Address(value).description == text)
    }

    @Test(arguments: ["", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.01", "10..0.1", "10.0.0.-1", "a.b.c.d",
                      " 10.0.0.1", "10.0.0.1 ", "1e1.0.0.1", "::1", "10.0.0.1/24", "１０.0.0.1", "+1.0.0.1"])
    func rejectsAnythingElse(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func ordersNumerically() throws {
        #expect(try #require(IPv4Address("10.0.0.9")) < #require(IPv4Address("10.0.0.10")))
    }
}

@Suite struct IPv4CIDRTests {
    func cidr(_ text: String) throws -> IPv4CIDR { try #require(IPv4CIDR(text)) }
    func address(_ text: String) throws -> IPv4Address { try #require(IPv4Address(text)) }

    @Test(arguments: ["10.0.0.0/24", "0.0.0.0/0", "10.0.0.7/32", "10.0.0.6/31", "192.168.0.0/16"])
    func parsesNetworks(_ text: String) throws {
        #expect(try cidr(text).description == text)
    }

    @Test(arguments: ["10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/24/1",
                      "10.0.0.0/ 24", "/24", "10.0.0.300/24", "10.0.0.1/24", "10.0.0.0/２４"])
    func rejectsBadText(_ text: String) {
        #expect(IPv4CIDR(text) == nil)
    }

    @Test func hostBitsAreReportedWithTheIntendedNetwork() {
        guard case .failure(let error) = IPv4CIDR.parse("10.0.0.5/24") else {
            Issue.record("10.0.0.5/24 has host bits set")
            return
        }
        #expect(error.description.contains("10.0.0.0/24"))
    }

    @Test func rangeOfA24() throws {
        let net = try cidr("10.0.0.0/24")
        #expect(net.netmask == 0xFFFF_FF00)
        #expect(net.broadcast == (try address("10.0.0.255")))
        #expect(net.firstHost == (try address("10.0.0.1")))
        #expect(net.lastHost == (try address("10.0.0.254")))
        #expect(net.contains(try address("10.0.0.0")))
        #expect(net.contains(try address("10.0.0.255")))
        #expect(!net.contains(try address("10.0.1.0")))
        #expect(!net.isHost(try address("10.0.0.0")))
        #expect(!net.isHost(try address("10.0.0.255")))
        #expect(net.isHost(try address("10.0.0.1")))
        #expect(!net.isHost(try address("10.0.1.1")))
    }

    @Test func everyAddressOfA31Or32IsAHost() throws {
        let pair = try cidr("10.0.0.6/31")
        #expect(pair.firstHost == (try address("10.0.0.6")))
        #expect(pair.lastHost == (try address("10.0.0.7")))
        #expect(try pair.isHost(address("10.0.0.6")) && pair.isHost(address("10.0.0.7")))
        #expect(!pair.isHost(try address("10.0.0.8")))
        let single = try cidr("10.0.0.7/32")
        #expect(single.firstHost == (try address("10.0.0.7")))
        #expect(single.lastHost == (try address("10.0.0.7")))
        #expect(single.isHost(try address("10.0.0.7")))
        #expect(!single.isHost(try address("10.0.0.6")))
    }

    @Test func edgesOfTheAddressSpaceDoNotOverflow() throws {
        let top = try cidr("255.255.255.255/32")
        #expect(top.firstHost.value == .max && top.lastHost.value == .max && top.broadcast.value == .max)
        #expect(top.host(1)?.value == .max)
        #expect(top.host(2) == nil)
        let bottom = try cidr("0.0.0.0/32")
        #expect(bottom.firstHost.value == 0 && bottom.lastHost.value == 0)
        #expect(bottom.host(1)?.value == 0)
        let all = try cidr("0.0.0.0/0")
        #expect(all.netmask == 0)
        #expect(all.broadcast.value == .max)
        #expect(all.firstHost.value == 1 && all.lastHost.value == UInt32.max - 1)
        #expect(all.contains(IPv4Address(.max)))
        #expect(all.host(UInt32.max - 1)?.value == UInt32.max - 1)
        #expect(all.host(.max) == nil)
        let topPair = try cidr("255.255.255.254/31")
        #expect(topPair.host(2)?.value == .max)
        #expect(topPair.host(3) == nil)
    }

    @Test func nthHost() throws {
        let net = try cidr("10.0.0.0/24")
        #expect(net.host(0) == nil)
        #expect(net.host(1) == (try address("10.0.0.1")))
        #expect(net.host(254) == (try address("10.0.0.254")))
        #expect(net.host(255) == nil)
        #expect(net.host(.max) == nil)
        let quad = try cidr("10.0.0.4/30")
        #expect(quad.host(1) == (try address("10.0.0.5")))
        #expect(quad.host(2) == (try address("10.0.0.6")))
        #expect(quad.host(3) == nil)
        let pair = try cidr("10.0.0.6/31")
        #expect(pair.host(0) == nil)
        #expect(pair.host(1) == (try address("10.0.0.6")))
        #expect(pair.host(2) == (try address("10.0.0.7")))
        #expect(pair.host(3) == nil)
        let single = try cidr("10.0.0.7/32")
        #expect(single.host(0) == nil)
        #expect(single.host(1) == (try address("10.0.0.7")))
        #expect(single.host(2) == nil)
    }

    @Test func outOfRangePrefixesAreClampedNotTrapped() throws {
        var wide = IPv4CIDR(network: try address("10.0.0.0"), prefixLength: 40)
        #expect(wide.prefixLength == 32)
        wide.prefixLength = 99
        #expect(wide.netmask == .max)
        #expect(wide.host(1) == (try address("10.0.0.0")))
        wide.prefixLength = -3
        #expect(wide.netmask == 0)
        #expect(wide.host(1)?.value == 1)
        let unmasked = IPv4CIDR(network: IPv4Address(.max), prefixLength: 24)
        #expect(unmasked.firstHost == (try address("255.255.255.1")))
        #expect(unmasked.lastHost == (try address("255.255.255.254")))
    }

    @Test func overlaps() throws {
        let net = try cidr("10.0.0.0/24")
        #expect(net.overlaps(try cidr("10.0.0.0/24")))
        #expect(net.overlaps(try cidr("10.0.0.128/25")))
        #expect(try cidr("10.0.0.128/25").overlaps(net))
        #expect(net.overlaps(try cidr("10.0.0.0/16")))
        #expect(net.overlaps(try cidr("0.0.0.0/0")))
        #expect(net.overlaps(try cidr("10.0.0.255/32")))
        #expect(!net.overlaps(try cidr("10.0.1.0/24")))
        #expect(!net.overlaps(try cidr("10.0.1.0/32")))
        #expect(!(try cidr("10.0.0.6/31")).overlaps(try cidr("10.0.0.8/31")))
    }
}
