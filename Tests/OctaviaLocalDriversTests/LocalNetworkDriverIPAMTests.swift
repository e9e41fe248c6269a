import Foundation
import OctaviaCore
import Testing
@testable import OctaviaLocalDrivers

/// VIP resolution and address allocation against a real (in-memory SQLite) store; no namespaces needed.
@Suite struct LocalNetworkDriverIPAMTests {
    let vipNet = Fixtures.network("vip", third: 0)
    let memberNet = Fixtures.network("members", third: 1)

    func withDriver(_ body: (LocalNetworkDriver) async throws -> Void) async throws {
        try await Fixtures.withStore { store in
            try await body(LocalNetworkDriver(switchNamespace: "unused-\(Fixtures.suffix())", networks: [vipNet, memberNet],
                                              mtu: 1500, store: store, logger: Fixtures.logger))
        }
    }

    @Test func inventoryComesFromConfiguration() async throws {
        try await withDriver { driver in
            #expect(try await driver.networks().map(\.id) == [vipNet.networkID, memberNet.networkID])
            #expect(try await driver.network(id: vipNet.networkID)?.subnetIDs == [vipNet.subnetID])
            let subnet = try #require(try await driver.subnet(id: memberNet.subnetID))
            #expect(subnet.cidr == memberNet.cidr && subnet.gatewayIP == memberNet.gateway && subnet.networkID == memberNet.networkID)
            #expect(try await driver.subnet(id: "nope") == nil)
        }
    }

    @Test func allocatesFirstFreeAddressOnSubnet() async throws {
        try await withDriver { driver in
            let first = try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID))
            let second = try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID))
            #expect(first.address == vipNet.allocationPoolStart)
            #expect(first.networkID == vipNet.networkID && first.subnetID == vipNet.subnetID)
            #expect(second.address != first.address)
            #expect(IPv4Address(second.address)!.value == IPv4Address(first.address)!.value + 1)
        }
    }

    @Test func allocationIsIdempotentAndPortIsNamedForTheLB() async throws {
        try await withDriver { driver in
            let lb = Fixtures.loadBalancer(networkID: vipNet.networkID)
            let vip = try await driver.allocateVIP(for: lb)
            #expect(try await driver.allocateVIP(for: lb) == vip)
            let port = try #require(try await driver.store.reader.fetch(NetworkPort.self, id: vip.portID))
            #expect(port.name == "octavia-lb-\(lb.id)")
            #expect(port.deviceID == "lb-\(lb.id)")
            #expect(port.macAddress == MACAddress.derived(from: lb.id.rawValue))

            try await driver.deallocateVIP(for: lb)
            try await driver.deallocateVIP(for: lb)
            #expect(try await driver.store.reader.fetch(NetworkPort.self, id: vip.portID) == nil)
        }
    }

    @Test func requestedAddressMustBeInSubnetAndFree() async throws {
        try await withDriver { driver in
            let prefix = vipNet.cidr.replacingOccurrences(of: ".0/24", with: ".")
            let vip = try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID, address: prefix + "200"))
            #expect(vip.address == prefix + "200")

            let taken = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID, address: prefix + "200"))
            }
            #expect(taken == OctaviaError(.conflict, "IP address \(prefix)200 already allocated in subnet \(vipNet.subnetID)"))
            let gateway = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID, address: vipNet.gateway))
            }
            #expect(gateway?.kind == .conflict)
            let outside = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID, address: "192.0.2.10"))
            }
            #expect(outside?.kind == .badRequest)
            let broadcast = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID, address: prefix + "255"))
            }
            #expect(broadcast?.kind == .badRequest)
        }
    }

    @Test func networkWithOnlyAddressPicksTheContainingSubnet() async throws {
        try await withDriver { driver in
            let prefix = memberNet.cidr.replacingOccurrences(of: ".0/24", with: ".")
            let vip = try await driver.allocateVIP(for: Fixtures.loadBalancer(networkID: memberNet.networkID, address: prefix + "99"))
            #expect(vip.subnetID == memberNet.subnetID)
            let error = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(networkID: vipNet.networkID, address: prefix + "98"))
            }
            #expect(error?.kind == .badRequest)
        }
    }

    @Test func unknownNetworkOrSubnetIsABadRequest() async throws {
        try await withDriver { driver in
            let missing = UUID().uuidString.lowercased()
            let network = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(networkID: missing))
            }
            #expect(network == OctaviaError(.badRequest, "Network \(missing) not found."))
            let subnet = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: missing))
            }
            #expect(subnet == OctaviaError(.badRequest, "Subnet \(missing) not found."))
            // A subnet of another network.
            let foreign = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: memberNet.subnetID, networkID: vipNet.networkID))
            }
            #expect(foreign == OctaviaError(.badRequest, "Subnet \(memberNet.subnetID) not found."))
            let none = await #expect(throws: OctaviaError.self) { try await driver.allocateVIP(for: Fixtures.loadBalancer()) }
            #expect(none?.kind == .badRequest)
        }
    }

    @Test func vipPortIDUsesThePortsAddressAndNetworkBeatsSubnet() async throws {
        try await withDriver { driver in
            let owner = Fixtures.loadBalancer(subnetID: memberNet.subnetID)
            let existing = try await driver.allocateVIP(for: owner)
            // A port already held by another load balancer cannot be reused.
            let inUse = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(portID: existing.portID))
            }
            #expect(inUse?.kind == .badRequest)
            // The owner asking by port gets the same VIP.
            var byPort = owner
            byPort.vipPortID = existing.portID
            #expect(try await driver.allocateVIP(for: byPort) == existing)
            let unknown = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(portID: UUID().uuidString.lowercased()))
            }
            #expect(unknown?.kind == .badRequest)
        }
    }

    @Test func concurrentAllocationsGetDistinctAddresses() async throws {
        try await withDriver { driver in
            let vips = try await withThrowingTaskGroup(of: VIP.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(vips.map(\.address)).count == 12)
        }
    }

    @Test func exhaustedPoolIsReported() async throws {
        try await withDriver { driver in
            // The fixture's pool is .10-.30: 21 addresses.
            for _ in 0..<21 { _ = try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID)) }
            let error = await #expect(throws: OctaviaError.self) {
                try await driver.allocateVIP(for: Fixtures.loadBalancer(subnetID: vipNet.subnetID))
            }
            #expect(error?.kind == .conflict)
        }
    }

    @Test func invalidConfigurationFailsEveryCall() async throws {
        var bad = vipNet
        bad.allocationPoolEnd = "192.0.2.1"
        try await Fixtures.withStore { store in
            let driver = LocalNetworkDriver(switchNamespace: "unused", networks: [bad], mtu: 1500, store: store,
                                            logger: Fixtures.logger)
            await #expect(throws: LocalDriverError.self) { try await driver.networks() }
            await #expect(throws: LocalDriverError.self) { try await driver.prepare() }
        }
    }
}
