import Foundation
import OctaviaCore
import OctaviaSystem
import Testing
@testable import OctaviaLocalDrivers

/// Real namespaces, bridges and veths (root only). Every namespace has a random suffix and is deleted
/// even when the test fails; deleting the switch namespace removes the bridges and all veth peers.
@Suite(.serialized) struct LocalNetworkDriverDataplaneTests {
    let suffix = Fixtures.suffix()
    let vipNet = Fixtures.network("vip", third: 0)
    let memberNet = Fixtures.network("members", third: 1, gateway: false)

    var switchNamespace: String { "octt-sw-\(suffix)" }

    func makeDriver(_ store: any Store) -> LocalNetworkDriver {
        LocalNetworkDriver(switchNamespace: switchNamespace, networks: [vipNet, memberNet], mtu: 1450, store: store,
                           logger: Fixtures.logger)
    }

    func cleanup(_ namespaces: [String]) async {
        for namespace in namespaces + [switchNamespace] {
            _ = try? await SystemRunner().run(["ip", "netns", "del", namespace])
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func prepareCreatesSwitchAndBridgesIdempotently() async throws {
        try Dataplane.require()
        try await Fixtures.withStore { store in
            let driver = makeDriver(store)
            try await Dataplane.withCleanup {
                try await driver.prepare()
                try await driver.prepare()
                let links = try await driver.ip.links(in: switchNamespace)
                let names = Set(links.map(\.ifname))
                #expect(names.contains(LocalNetworkDriver.bridgeName(for: vipNet.networkID)))
                #expect(names.contains(LocalNetworkDriver.bridgeName(for: memberNet.networkID)))
                let details = try await Dataplane.ip("-d", "-n", switchNamespace, "link", "show",
                                                     LocalNetworkDriver.bridgeName(for: vipNet.networkID)).output
                #expect(details.contains("stp_state 0"))
                #expect(details.contains("forward_delay 0"))
                try await driver.teardown()
                #expect(!driver.ip.namespaceExists(switchNamespace))
                try await driver.teardown()
            } cleanup: {
                await cleanup([])
            }
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func plugVIPGivesAReachableNICWithTheLBsMAC() async throws {
        try Dataplane.require()
        try await Fixtures.withStore { store in
            let driver = makeDriver(store)
            let ampNS = "octt-amp-\(suffix)", ampNS2 = "octt-amp2-\(suffix)", clientNS = "octt-cli-\(suffix)"
            try await Dataplane.withCleanup {
                try await driver.prepare()
                let lb = Fixtures.loadBalancer(subnetID: vipNet.subnetID)
                let vip = try await driver.allocateVIP(for: lb)
                var placed = lb
                placed.vipAddress = vip.address

                // An "amphora": just a namespace, as LocalComputeDriver would make.
                try await Dataplane.ip("netns", "add", ampNS)
                let amphora = Amphora(loadBalancerID: lb.id, computeID: ampNS)
                let plug = try await driver.plugVIP(amphora: amphora, loadBalancer: placed)
                #expect(plug.vip == vip.address)
                #expect(plug.subnetCIDR == vipNet.cidr && plug.gateway == vipNet.gateway && plug.mtu == 1450)
                #expect(plug.macAddress == MACAddress.derived(from: lb.id.rawValue))
                #expect(plug.vrrpIP != vip.address)
                // Idempotent: same port, same NIC.
                #expect(try await driver.plugVIP(amphora: amphora, loadBalancer: placed) == plug)

                let eth1 = try #require(try await driver.ip.link("eth1", in: ampNS))
                #expect(eth1.address == plug.macAddress)
                #expect(eth1.mtu == 1450)
                let vrrpPort = try #require(try await driver.ports([("device_id", .string(amphora.id.rawValue))]).first)
                #expect(vrrpPort.name == "octavia-lb-vrrp-\(amphora.id)")
                let peer = try #require(try await driver.ip.link(LocalNetworkDriver.peerName(portID: vrrpPort.id), in: switchNamespace))
                #expect(peer.master == LocalNetworkDriver.bridgeName(for: vipNet.networkID))

                // What the agent would do: addresses inside the amphora. Then a client on the same bridge pings them.
                try await Dataplane.ip("-n", ampNS, "addr", "add", "\(plug.vrrpIP)/24", "dev", "eth1")
                try await Dataplane.ip("-n", ampNS, "addr", "add", "\(plug.vip)/32", "dev", "eth1")
                try await Dataplane.ip("netns", "add", clientNS)
                let clientIP = vipNet.cidr.replacingOccurrences(of: ".0/24", with: ".250")
                try await Dataplane.ip("link", "add", "eth0", "netns", clientNS, "type", "veth", "peer", "name", "cli-\(suffix.prefix(8))",
                                       "netns", switchNamespace)
                try await Dataplane.ip("-n", switchNamespace, "link", "set", "cli-\(suffix.prefix(8))", "master",
                                       LocalNetworkDriver.bridgeName(for: vipNet.networkID), "up")
                try await Dataplane.ip("-n", clientNS, "addr", "add", "\(clientIP)/24", "dev", "eth0")
                try await Dataplane.ip("-n", clientNS, "link", "set", "eth0", "up")
                // ARP across the bridge: the amphora answers for both addresses with the LB-derived MAC.
                if let arping = try? SystemRunner.resolve("arping") {
                    for target in [plug.vrrpIP, plug.vip] {
                        let reply = try await SystemRunner().run(["ip", "netns", "exec", clientNS, arping, "-c", "1", "-w", "3",
                                                                  "-I", "eth0", target])
                        #expect(reply.succeeded, "arping \(target): \(reply.output)\(reply.error)")
                        #expect(reply.output.lowercased().contains(plug.macAddress), "\(reply.output)")
                    }
                }
                if let ping = try? SystemRunner.resolve("ping") {
                    for target in [plug.vrrpIP, plug.vip] {
                        let result = try await SystemRunner().run(["ip", "netns", "exec", clientNS, ping, "-c", "1", "-W", "2", target])
                        #expect(result.succeeded, "ping \(target): \(result.output)\(result.error)")
                    }
                }

                // Failover: a rebuilt amphora gets the same VIP MAC, so the client's ARP entry stays right.
                try await Dataplane.ip("netns", "del", ampNS)
                try await driver.unplugAll(amphora: amphora)
                try await Dataplane.ip("netns", "add", ampNS2)
                let replacement = Amphora(loadBalancerID: lb.id, computeID: ampNS2)
                let plug2 = try await driver.plugVIP(amphora: replacement, loadBalancer: placed)
                #expect(plug2.macAddress == plug.macAddress)
                #expect(try await driver.ip.link("eth1", in: ampNS2)?.address == plug.macAddress)

                // A member network: next free ethN, idempotent per subnet.
                let member = try await driver.plugNetwork(amphora: replacement, subnetID: memberNet.subnetID)
                #expect(MACAddress.isLocallyAdministeredUnicast(member.macAddress))
                #expect(member.subnetCIDR == memberNet.cidr && member.gateway == nil)
                #expect(try await driver.plugNetwork(amphora: replacement, subnetID: memberNet.subnetID) == member)
                let eth2 = try #require(try await driver.ip.link("eth2", in: ampNS2))
                #expect(eth2.address == member.macAddress)
                #expect(try await driver.ip.link("eth3", in: ampNS2) == nil)
                await #expect(throws: OctaviaError.self) {
                    try await driver.plugNetwork(amphora: replacement, subnetID: UUID().uuidString.lowercased())
                }

                try await driver.unplugAll(amphora: replacement)
                try await driver.unplugAll(amphora: replacement)
                #expect(try await driver.ports([("device_id", .string(replacement.id.rawValue))]).isEmpty)
                try await driver.deallocateVIP(for: lb)
                try await driver.teardown()
            } cleanup: {
                await cleanup([ampNS, ampNS2, clientNS])
            }
            #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(switchNamespace)"))
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func activeStandbyPairGetsDistinctMACs() async throws {
        try Dataplane.require()
        try await Fixtures.withStore { store in
            let driver = makeDriver(store)
            let ns1 = "octt-ma-\(suffix)", ns2 = "octt-mb-\(suffix)"
            try await Dataplane.withCleanup {
                try await driver.prepare()
                let lb = Fixtures.loadBalancer(subnetID: vipNet.subnetID, topology: .activeStandby)
                _ = try await driver.allocateVIP(for: lb)
                try await Dataplane.ip("netns", "add", ns1)
                try await Dataplane.ip("netns", "add", ns2)
                let master = try await driver.plugVIP(amphora: Amphora(loadBalancerID: lb.id, computeID: ns1, role: .master),
                                                      loadBalancer: lb)
                let backup = try await driver.plugVIP(amphora: Amphora(loadBalancerID: lb.id, computeID: ns2, role: .backup),
                                                      loadBalancer: lb)
                #expect(master.macAddress == MACAddress.derived(from: lb.id.rawValue))
                #expect(backup.macAddress == MACAddress.derived(from: "\(lb.id)/backup"))
                #expect(master.vrrpIP != backup.vrrpIP)
            } cleanup: {
                await cleanup([ns1, ns2])
            }
        }
    }
}
