import Foundation
import Logging
import OctaviaCore

/// Amphora NICs: veth pairs from the amphora namespace to a bridge in the switch namespace.
extension LocalNetworkDriver {
    public func plugVIP(amphora: Amphora, loadBalancer: LoadBalancer) async throws -> VIPPlug {
        let namespace = try Self.namespace(of: amphora)
        guard let vip = try await vipPort(for: loadBalancer) else {
            throw LocalDriverError("load balancer \(loadBalancer.id) has no VIP port; allocate the VIP first")
        }
        guard let network = try parsedNetwork(subnetID: vip.subnetID) else {
            throw LocalDriverError("VIP subnet \(vip.subnetID) of load balancer \(loadBalancer.id) is not configured")
        }
        let vrrpName = "octavia-lb-vrrp-\(amphora.id)"
        let existing = try await ports([("device_id", .string(amphora.id.rawValue)), ("subnet_id", .string(vip.subnetID))])
        let port: NetworkPort
        if let found = existing.first(where: { $0.name == vrrpName }) {
            port = found
        } else {
            let mac = try await vipMAC(amphora: amphora, loadBalancer: loadBalancer, subnetID: vip.subnetID)
            port = try await allocatePort(on: network, name: vrrpName, deviceID: amphora.id.rawValue, macAddress: mac)
        }
        try await attach(namespace: namespace, interface: "eth1", port: port, network: network)
        logger.info("VIP plugged", metadata: ["amphora": "\(amphora.id)", "vrrp_ip": "\(port.ipAddress)",
                                              "mac": "\(port.macAddress)"])
        return VIPPlug(vip: loadBalancer.vipAddress ?? vip.ipAddress, subnetCIDR: network.config.cidr,
                       gateway: network.config.gateway, macAddress: port.macAddress, vrrpIP: port.ipAddress, mtu: mtu)
    }

    public func plugNetwork(amphora: Amphora, subnetID: String) async throws -> NetworkPlug {
        let namespace = try Self.namespace(of: amphora)
        guard let network = try parsedNetwork(subnetID: subnetID) else {
            throw OctaviaError(.badRequest, "Subnet \(subnetID) not found.")
        }
        let existing = try await ports([("device_id", .string(amphora.id.rawValue)), ("subnet_id", .string(subnetID))])
        let port: NetworkPort
        let interface: String
        let links = try await ip.links(in: namespace)
        if let found = existing.first {
            port = found
            interface = links.first { $0.address == found.macAddress }?.ifname ?? Self.nextInterface(links.map(\.ifname))
        } else {
            port = try await allocatePort(on: network, name: "octavia-amp-\(amphora.id)-\(subnetID)",
                                          deviceID: amphora.id.rawValue, macAddress: MACAddress.random())
            interface = Self.nextInterface(links.map(\.ifname))
        }
        try await attach(namespace: namespace, interface: interface, port: port, network: network)
        return NetworkPlug(macAddress: port.macAddress, ipAddress: port.ipAddress, subnetCIDR: network.config.cidr,
                           gateway: network.config.gateway, mtu: mtu)
    }

    public func unplugAll(amphora: Amphora) async throws {
        // The veths go away with the amphora's namespace (compute delete); only the reservations remain.
        try await deletePorts(deviceID: amphora.id.rawValue)
    }

    /// Makes `interface` in `namespace` the port's NIC: a veth with the port's MAC whose peer
    /// (`v` + 12 hex digits of the port id) sits on the network's bridge. Idempotent.
    func attach(namespace: String, interface: String, port: NetworkPort, network: ParsedNetwork) async throws {
        guard ip.namespaceExists(namespace) else {
            throw LocalDriverError("amphora namespace \(namespace) does not exist")
        }
        let peer = Self.peerName(portID: port.id)
        let bridge = Self.bridgeName(for: network.config.networkID)
        let current = try await ip.link(interface, in: namespace)
        if let current, current.address == port.macAddress,
           try await ip.link(peer, in: switchNamespace)?.master == bridge {
            return
        }
        if current != nil {
            // Wrong MAC or a dangling leg: rebuild it so the MAC is the one clients expect.
            try await ip.runner.check(["ip", "-n", namespace, "link", "del", interface])
        }
        if try await ip.link(peer, in: switchNamespace) != nil {
            try await ip.runner.check(["ip", "-n", switchNamespace, "link", "del", peer])
        }
        let mtuText = String(mtu)
        try await ip.runner.check(["ip", "link", "add", interface, "netns", namespace, "address", port.macAddress,
                                   "mtu", mtuText, "type", "veth", "peer", "name", peer, "netns", switchNamespace,
                                   "mtu", mtuText])
        try await ip.runner.check(["ip", "-n", switchNamespace, "link", "set", peer, "master", bridge, "up"])
        try await ip.runner.check(["ip", "-n", namespace, "link", "set", interface, "up"])
        logger.debug("veth attached", metadata: ["namespace": "\(namespace)", "interface": "\(interface)",
                                                 "peer": "\(peer)", "bridge": "\(bridge)"])
    }

    /// The VIP NIC's MAC: derived from the load balancer (and, for the backup of a pair, its role) so that a
    /// rebuilt amphora keeps the MAC clients have cached; another live VRRP port's MAC is never reused.
    func vipMAC(amphora: Amphora, loadBalancer: LoadBalancer, subnetID: String) async throws -> String {
        let base = MACAddress.derived(from: loadBalancer.id.rawValue)
        guard loadBalancer.topology == .activeStandby else { return base }
        let taken = Set(try await ports([("subnet_id", .string(subnetID))])
            .filter { $0.name.hasPrefix("octavia-lb-vrrp-") && $0.deviceID != amphora.id.rawValue }
            .map(\.macAddress))
        let first = amphora.role == .backup ? MACAddress.derived(from: "\(loadBalancer.id)/backup") : base
        let candidates = [first, base, MACAddress.derived(from: "\(loadBalancer.id)/backup")]
            + (1...8).map { MACAddress.derived(from: "\(loadBalancer.id)/\($0)") }
        return candidates.first { !taken.contains($0) } ?? MACAddress.random()
    }

    static func namespace(of amphora: Amphora) throws -> String {
        guard let namespace = amphora.computeID, !namespace.isEmpty else {
            throw LocalDriverError("amphora \(amphora.id) has no compute id (namespace)")
        }
        return namespace
    }

    static func peerName(portID: String) -> String {
        "v" + String(portID.lowercased().filter(\.isHexDigit).prefix(12))
    }

    /// The lowest `ethN` (N ≥ 2) not present: eth1 is reserved for the VIP.
    static func nextInterface(_ existing: [String]) -> String {
        let names = Set(existing)
        var n = 2
        while names.contains("eth\(n)") { n += 1 }
        return "eth\(n)"
    }
}
