import Foundation
import Logging
import OctaviaCore
import OctaviaSystem

/// Networks made of Linux bridges inside one "switch" network namespace.
///
/// Nothing is created in the host namespace: each amphora NIC is a veth pair created directly across
/// namespaces (amphora side `ethN`, switch side on the network's bridge), so no traffic can leave the
/// machine. Address reservations are `NetworkPort` rows in the store, which makes IPAM survive restarts and
/// lets a UNIQUE (subnet_id, ip_address) index arbitrate concurrent allocations.
public final class LocalNetworkDriver: NetworkDriver {
    let switchNamespace: String
    let parsed: Result<[ParsedNetwork], LocalDriverError>
    let mtu: Int
    let store: any Store
    let ip: IPCommands
    let logger: Logger

    /// - Parameters:
    ///   - switchNamespace: namespace that holds the bridges (created by ``prepare()``).
    ///   - networks: the networks offered to users; each has one IPv4 subnet.
    ///   - mtu: MTU of every amphora NIC.
    ///   - store: where ports (address reservations) are kept.
    public init(switchNamespace: String, networks: [LocalNetwork], mtu: Int, store: any Store,
                runner: SystemRunner = .init(), logger: Logger) {
        self.switchNamespace = switchNamespace
        self.mtu = mtu
        self.store = store
        self.ip = IPCommands(runner: runner)
        self.logger = logger
        do {
            parsed = .success(try networks.map(ParsedNetwork.init))
        } catch let error as LocalDriverError {
            parsed = .failure(error)
        } catch {
            parsed = .failure(LocalDriverError("\(error)"))
        }
    }

    /// The bridge of a network: `br-` + 12 hex digits of its id (fits the 15-character interface name limit).
    public static func bridgeName(for networkID: String) -> String {
        "br-" + String(networkID.lowercased().filter(\.isHexDigit).prefix(12))
    }

    /// Creates the switch namespace and one bridge per network. Idempotent.
    public func prepare() async throws {
        let networks = try parsed.get()
        try await ip.addNamespace(switchNamespace)
        let existing = Set(try await ip.links(in: switchNamespace).map(\.ifname))
        for network in networks {
            let bridge = Self.bridgeName(for: network.config.networkID)
            if !existing.contains(bridge) {
                let result = try await ip.runner.run(["ip", "-n", switchNamespace, "link", "add", bridge, "type", "bridge",
                                                      "stp_state", "0", "forward_delay", "0"])
                // A concurrent prepare() may have created it in between.
                if !result.succeeded, try await ip.link(bridge, in: switchNamespace) == nil {
                    throw LocalDriverError("cannot create bridge \(bridge) in \(switchNamespace): \(result.error)")
                }
            }
            try await ip.runner.check(["ip", "-n", switchNamespace, "link", "set", bridge, "up"])
            logger.debug("local network ready", metadata: ["network": "\(network.config.name)", "bridge": "\(bridge)"])
        }
    }

    /// Deletes the switch namespace, its bridges and every veth peer on them. Idempotent.
    public func teardown() async throws {
        try await ip.deleteNamespace(switchNamespace)
    }

    // MARK: - Inventory

    public func networks() async throws -> [Network] {
        try parsed.get().map(Self.network)
    }

    public func subnets() async throws -> [Subnet] {
        try parsed.get().map(Self.subnet)
    }

    public func network(id: String) async throws -> Network? {
        try parsedNetwork(networkID: id).map(Self.network)
    }

    public func subnet(id: String) async throws -> Subnet? {
        try parsedNetwork(subnetID: id).map(Self.subnet)
    }

    func parsedNetwork(networkID: String) throws -> ParsedNetwork? {
        try parsed.get().first { $0.config.networkID == networkID }
    }

    func parsedNetwork(subnetID: String) throws -> ParsedNetwork? {
        try parsed.get().first { $0.config.subnetID == subnetID }
    }

    private static func network(_ parsed: ParsedNetwork) -> Network {
        Network(id: parsed.config.networkID, name: parsed.config.name, subnetIDs: [parsed.config.subnetID])
    }

    private static func subnet(_ parsed: ParsedNetwork) -> Subnet {
        Subnet(id: parsed.config.subnetID, name: parsed.config.subnetName, networkID: parsed.config.networkID,
               cidr: parsed.config.cidr, gatewayIP: parsed.config.gateway, ipVersion: 4)
    }
}
