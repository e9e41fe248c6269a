import Foundation
import OctaviaCore

/// A network service that only records calls (Octavia's `network_noop_driver`). VIPs are handed
/// out from the subnet's range in order; nothing touches the host.
public actor NoopNetworkDriver: NetworkDriver {
    public private(set) var calls: [String] = []
    /// Amphorae with a VIP or network plug not yet removed by `unplugAll`: what a real driver would leak.
    public private(set) var pluggedAmphorae: Set<Amphora.ID> = []
    private let knownNetworks: [Network]
    private let knownSubnets: [Subnet]
    private var nextHost: [String: UInt32] = [:]
    private var vips: [LoadBalancer.ID: VIP] = [:]

    public init(networks: [Network] = [], subnets: [Subnet] = []) {
        self.knownNetworks = networks
        self.knownSubnets = subnets
    }

    public func networks() async throws -> [Network] { knownNetworks }
    public func subnets() async throws -> [Subnet] { knownSubnets }
    public func network(id: String) async throws -> Network? { knownNetworks.first { $0.id == id } }
    public func subnet(id: String) async throws -> Subnet? { knownSubnets.first { $0.id == id } }

    public func allocateVIP(for loadBalancer: LoadBalancer) async throws -> VIP {
        calls.append("allocateVIP \(loadBalancer.id)")
        if let vip = vips[loadBalancer.id] { return vip }
        let subnet: Subnet
        if let id = loadBalancer.vipSubnetID {
            guard let found = knownSubnets.first(where: { $0.id == id }) else {
                throw OctaviaError(.badRequest, "Subnet \(id) not found.")
            }
            subnet = found
        } else if let id = loadBalancer.vipNetworkID {
            guard let found = knownSubnets.first(where: { $0.networkID == id }) else {
                throw OctaviaError(.badRequest, "Network \(id) not found.")
            }
            subnet = found
        } else {
            throw OctaviaError(.badRequest, "VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.")
        }
        let address: String
        if let given = loadBalancer.vipAddress {
            address = given
        } else {
            // Hands out the subnet's hosts in order, from .100 when the subnet is big enough.
            guard let cidr = IPv4CIDR(subnet.cidr) else { throw OctaviaError(.badRequest, "Subnet \(subnet.id) has no IPv4 CIDR.") }
            let start: UInt32 = cidr.host(100) == nil ? 1 : 100
            let next = nextHost[subnet.id] ?? start
            guard let host = cidr.host(next) ?? cidr.host(start) else {
                throw OctaviaError(.conflict, "No more IP addresses available on subnet \(subnet.id).")
            }
            nextHost[subnet.id] = cidr.host(next) == nil ? start + 1 : next + 1
            address = host.description
        }
        let vip = VIP(address: address, networkID: subnet.networkID, subnetID: subnet.id, portID: UUID().uuidString.lowercased())
        vips[loadBalancer.id] = vip
        return vip
    }

    public func deallocateVIP(for loadBalancer: LoadBalancer) async throws {
        calls.append("deallocateVIP \(loadBalancer.id)")
        vips[loadBalancer.id] = nil
    }

    public func plugVIP(amphora: Amphora, loadBalancer: LoadBalancer) async throws -> VIPPlug {
        calls.append("plugVIP \(amphora.id)")
        pluggedAmphorae.insert(amphora.id)
        let cidr = knownSubnets.first { $0.id == loadBalancer.vipSubnetID }?.cidr ?? "10.0.0.0/24"
        return VIPPlug(vip: loadBalancer.vipAddress ?? "", subnetCIDR: cidr, gateway: nil,
                       macAddress: "02:00:00:00:00:01", vrrpIP: loadBalancer.vipAddress ?? "")
    }

    public func plugNetwork(amphora: Amphora, subnetID: String) async throws -> NetworkPlug {
        calls.append("plugNetwork \(amphora.id) \(subnetID)")
        pluggedAmphorae.insert(amphora.id)
        let cidr = knownSubnets.first { $0.id == subnetID }?.cidr ?? "10.0.0.0/24"
        return NetworkPlug(macAddress: "02:00:00:00:00:02", ipAddress: "10.0.0.2", subnetCIDR: cidr, gateway: nil)
    }

    public func unplugAll(amphora: Amphora) async throws {
        calls.append("unplugAll \(amphora.id)")
        pluggedAmphorae.remove(amphora.id)
    }
}
