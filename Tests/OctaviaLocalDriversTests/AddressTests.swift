import OctaviaCore
import Testing
@testable import OctaviaLocalDrivers

@Suite struct AddressTests {
    @Test func parsesAddresses() {
        #expect(IPv4Address("10.0.0.1")?.value == 0x0A00_0001)
        #expect(IPv4Address("255.255.255.255")?.value == UInt32.max)
        #expect(IPv4Address("10.0.0.1")?.description == "10.0.0.1")
        for bad in ["", "10.0.0", "10.0.0.256", "10.0.0.01", "a.b.c.d", "10..0.1", "10.0.0.1.2", "-1.0.0.0"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test func parsesCIDR() throws {
        let net = try #require(IPv4CIDR("192.168.4.0/22"))
        #expect(net.network.description == "192.168.4.0")
        #expect(net.prefixLength == 22)
        #expect(net.broadcast.description == "192.168.7.255")
        #expect(IPv4CIDR("0.0.0.0/0")?.netmask == 0)
        // Host bits set, bad length, missing length.
        for bad in ["192.168.4.1/22", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/x", "10.0.0.0/24/1"] {
            #expect(IPv4CIDR(bad) == nil, "\(bad)")
        }
    }

    @Test func nthHostAndContains() throws {
        let net = try #require(IPv4CIDR("10.1.2.0/24"))
        #expect(net.host(1)?.description == "10.1.2.1")
        #expect(net.host(254)?.description == "10.1.2.254")
        #expect(net.host(255) == nil)
        #expect(net.host(0) == nil)
        #expect(net.contains(IPv4Address("10.1.2.200")!))
        #expect(!net.contains(IPv4Address("10.1.3.1")!))
        #expect(!net.isHost(IPv4Address("10.1.2.0")!))
        #expect(!net.isHost(IPv4Address("10.1.2.255")!))
        let p2p = try #require(IPv4CIDR("10.9.9.0/31"))
        #expect(p2p.host(1)?.description == "10.9.9.0")
        #expect(p2p.host(2)?.description == "10.9.9.1")
        #expect(p2p.host(3) == nil)
    }

    @Test func firstFreeSkipsGatewayAndUsed() throws {
        let net = try #require(IPv4CIDR("10.0.0.0/29"))
        let a = { (text: String) in IPv4Address(text)! }
        #expect(AddressPool.firstFree(in: net, from: a("10.0.0.1"), to: a("10.0.0.6"), gateway: a("10.0.0.1"),
                                      used: [a("10.0.0.2"), a("10.0.0.4")]) == a("10.0.0.3"))
        // The pool may start on the network address; it is never handed out.
        #expect(AddressPool.firstFree(in: net, from: a("10.0.0.0"), to: a("10.0.0.7"), gateway: nil, used: []) == a("10.0.0.1"))
        // Exhausted: the broadcast address is not a candidate.
        #expect(AddressPool.firstFree(in: net, from: a("10.0.0.5"), to: a("10.0.0.7"), gateway: a("10.0.0.6"),
                                      used: [a("10.0.0.5")]) == nil)
        #expect(AddressPool.firstFree(in: net, from: a("10.0.0.5"), to: a("10.0.0.4"), gateway: nil, used: []) == nil)
    }

    @Test func derivedMACIsStableAndLocallyAdministered() {
        let lb = "6b2c1d8e-61a6-4f1c-9a55-0d0f3b2f2a10"
        let mac = MACAddress.derived(from: lb)
        #expect(mac == MACAddress.derived(from: lb))
        #expect(mac != MACAddress.derived(from: "6b2c1d8e-61a6-4f1c-9a55-0d0f3b2f2a11"))
        #expect(mac.hasPrefix("02:"))
        #expect(MACAddress.isLocallyAdministeredUnicast(mac))
        for _ in 0..<20 { #expect(MACAddress.isLocallyAdministeredUnicast(MACAddress.random())) }
        #expect(!MACAddress.isLocallyAdministeredUnicast("00:11:22:33:44:55"))
        #expect(!MACAddress.isLocallyAdministeredUnicast("03:11:22:33:44:55"))
    }

    @Test func interfaceNames() {
        #expect(LocalNetworkDriver.bridgeName(for: "9F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8") == "br-9f1a2b3c4d5e")
        #expect(LocalNetworkDriver.peerName(portID: "9f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8") == "v9f1a2b3c4d5e")
        #expect(LocalNetworkDriver.nextInterface(["lo", "eth1"]) == "eth2")
        #expect(LocalNetworkDriver.nextInterface(["lo", "eth1", "eth2", "eth4"]) == "eth3")
    }
}
