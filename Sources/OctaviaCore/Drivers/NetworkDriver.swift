/// The network service: Neutron in a cloud, local bridges by default.
public protocol NetworkDriver: Sendable {
    func networks() async throws -> [Network]
    func subnets() async throws -> [Subnet]
    func network(id: String) async throws -> Network?
    func subnet(id: String) async throws -> Subnet?

    /// Reserves the VIP address for a load balancer (choosing subnet and address when not given).
    /// Throws ``OctaviaError`` with `.badRequest` for an unknown network/subnet, `.conflict` for an address in use.
    func allocateVIP(for loadBalancer: LoadBalancer) async throws -> VIP
    /// Releases the VIP reservation. Idempotent.
    func deallocateVIP(for loadBalancer: LoadBalancer) async throws

    /// Gives the amphora a NIC on the VIP network with its own (VRRP) address; returns what the agent needs.
    func plugVIP(amphora: Amphora, loadBalancer: LoadBalancer) async throws -> VIPPlug
    /// Gives the amphora a NIC on a member subnet. Idempotent per (amphora, subnet).
    func plugNetwork(amphora: Amphora, subnetID: String) async throws -> NetworkPlug
    /// Releases every port held by the amphora. Idempotent.
    func unplugAll(amphora: Amphora) async throws
}
