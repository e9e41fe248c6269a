import Foundation
import Logging
import OctaviaCore

/// VIP reservation: Octavia's precedence port > network > subnet (api-v2.md §5).
extension LocalNetworkDriver {
    static func vipDeviceID(_ loadBalancer: LoadBalancer) -> String { "lb-\(loadBalancer.id)" }

    public func allocateVIP(for loadBalancer: LoadBalancer) async throws -> VIP {
        if let portID = loadBalancer.vipPortID {
            return try await vipFromExistingPort(portID, loadBalancer)
        }
        if let port = try await ports([("device_id", .string(Self.vipDeviceID(loadBalancer)))]).first {
            return VIP(address: port.ipAddress, networkID: port.networkID, subnetID: port.subnetID, portID: port.id)
        }
        let requested = try loadBalancer.vipAddress.map { text in
            guard let address = IPv4Address(text) else {
                throw OctaviaError.invalidInput("vip_address", text, "Value should be IPv4 format")
            }
            return address
        }
        let network = try resolveVIPNetwork(loadBalancer, requested: requested)
        if let requested, !network.subnet.isHost(requested) {
            throw OctaviaError.validation("VIP address \(requested) is not a host address of subnet \(network.config.subnetID).")
        }
        let port = try await allocatePort(on: network, name: "octavia-lb-\(loadBalancer.id)",
                                          deviceID: Self.vipDeviceID(loadBalancer),
                                          macAddress: MACAddress.derived(from: loadBalancer.id.rawValue), fixed: requested)
        logger.info("VIP allocated", metadata: ["lb": "\(loadBalancer.id)", "vip": "\(port.ipAddress)"])
        return VIP(address: port.ipAddress, networkID: port.networkID, subnetID: port.subnetID, portID: port.id)
    }

    public func deallocateVIP(for loadBalancer: LoadBalancer) async throws {
        try await deletePorts(deviceID: Self.vipDeviceID(loadBalancer))
    }

    /// The network/subnet the VIP goes on when no port was given.
    func resolveVIPNetwork(_ loadBalancer: LoadBalancer, requested: IPv4Address?) throws -> ParsedNetwork {
        if let networkID = loadBalancer.vipNetworkID {
            guard let network = try parsedNetwork(networkID: networkID) else {
                throw OctaviaError(.badRequest, "Network \(networkID) not found.")
            }
            if let subnetID = loadBalancer.vipSubnetID, subnetID != network.config.subnetID {
                throw OctaviaError(.badRequest, "Subnet \(subnetID) not found.")
            }
            if loadBalancer.vipSubnetID == nil, let requested, !network.subnet.contains(requested) {
                throw OctaviaError.validation("Supplied network does not contain a subnet for VIP address specified.")
            }
            return network
        }
        if let subnetID = loadBalancer.vipSubnetID {
            guard let network = try parsedNetwork(subnetID: subnetID) else {
                throw OctaviaError(.badRequest, "Subnet \(subnetID) not found.")
            }
            return network
        }
        throw OctaviaError.validation("VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.")
    }

    /// A user-supplied port: its address becomes the VIP; the port stays the user's (never deleted by us).
    private func vipFromExistingPort(_ portID: String, _ loadBalancer: LoadBalancer) async throws -> VIP {
        guard let port = try await store.reader.fetch(NetworkPort.self, id: portID) else {
            throw OctaviaError(.badRequest, "NetworkPort \(portID) not found.")
        }
        if !port.deviceID.isEmpty && port.deviceID != Self.vipDeviceID(loadBalancer) {
            throw OctaviaError.validation("NetworkPort \(portID) already in use by device \(port.deviceID).")
        }
        if let subnetID = loadBalancer.vipSubnetID, subnetID != port.subnetID {
            throw OctaviaError.validation("NetworkPort \(portID) has no fixed IP in subnet \(subnetID).")
        }
        if let address = loadBalancer.vipAddress, address != port.ipAddress {
            throw OctaviaError.validation("NetworkPort \(portID) does not have the IP address \(address).")
        }
        return VIP(address: port.ipAddress, networkID: port.networkID, subnetID: port.subnetID, portID: port.id)
    }

    /// The port holding the load balancer's VIP address.
    func vipPort(for loadBalancer: LoadBalancer) async throws -> NetworkPort? {
        if let portID = loadBalancer.vipPortID, let port = try await store.reader.fetch(NetworkPort.self, id: portID) {
            return port
        }
        return try await ports([("device_id", .string(Self.vipDeviceID(loadBalancer)))]).first
    }
}
