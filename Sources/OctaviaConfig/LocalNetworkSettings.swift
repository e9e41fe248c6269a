import OctaviaCore
/// One `[local_network:<name>]` section (ours): a network with one IPv4 subnet, served by a bridge.
public struct LocalNetworkSettings: Sendable, Equatable {
    /// The `<name>` of the section header; the network's name.
    public var name: String
    /// `network_id` (UUID, required), lower-case canonical form.
    public var networkID: String
    /// `subnet_id` (UUID, required), lower-case canonical form.
    public var subnetID: String
    /// `subnet_name` (string, default `<name>-subnet`).
    public var subnetName: String
    /// `cidr` (IPv4 CIDR, required), without host bits; at most /30.
    public var cidr: IPv4CIDR
    /// `gateway` (IPv4 host address in `cidr`, optional).
    public var gateway: IPv4Address?
    /// `allocation_pool_start` (IPv4 in `cidr`, default: first host after the gateway).
    public var allocationPoolStart: IPv4Address
    /// `allocation_pool_end` (IPv4 in `cidr`, default: last host).
    public var allocationPoolEnd: IPv4Address

    public enum Option {
        public static let networkID: ConfigOption<String> = .requiredString(
            "network_id", help: "UUID of the network, as used in the API (vip_network_id).",
            validate: ConfigValueParsing.uuidReason)
        public static let subnetID: ConfigOption<String> = .requiredString(
            "subnet_id", help: "UUID of the network's subnet, as used in the API (vip_subnet_id, member subnet_id).",
            validate: ConfigValueParsing.uuidReason)
        public static let subnetName: ConfigOption<String?> = .custom(
            "subnet_name", typeName: "string value", default: nil, defaultText: "<name>-subnet",
            help: "Name of the subnet.", convert: { .success($0.isEmpty ? nil : $0) })
        public static let cidr: ConfigOption<IPv4CIDR> = .requiredCustom(
            "cidr", typeName: "IPv4 CIDR value",
            help: "IPv4 range of the subnet, e.g. 10.0.0.0/24 (at most /30).",
            convert: { text in
                IPv4CIDR.parse(text).mapError { ConversionFailure($0.description) }.flatMap { cidr in
                    cidr.prefixLength <= 30
                        ? .success(cidr) : .failure(ConversionFailure("'\(text)' is too small for a subnet (at most /30)"))
                }
            })
        public static let gateway: ConfigOption<IPv4Address?> = .custom(
            "gateway", typeName: "IPv4 address value", default: nil, defaultText: nil,
            help: "Gateway address of the subnet, inside cidr. When unset, the subnet has no gateway.",
            convert: optionalAddress)
        public static let allocationPoolStart: ConfigOption<IPv4Address?> = .custom(
            "allocation_pool_start", typeName: "IPv4 address value", default: nil, defaultText: nil,
            help: "First address handed out to ports, inside cidr. When unset, the first host address after the gateway.",
            convert: optionalAddress)
        public static let allocationPoolEnd: ConfigOption<IPv4Address?> = .custom(
            "allocation_pool_end", typeName: "IPv4 address value", default: nil, defaultText: nil,
            help: "Last address handed out to ports, inside cidr. When unset, the last host address.",
            convert: optionalAddress)

        @Sendable static func optionalAddress(_ text: String) -> Result<IPv4Address?, ConversionFailure> {
            if text.isEmpty { return .success(nil) }
            guard let address = IPv4Address(text) else {
                return .failure(ConversionFailure("'\(text)' is not an IPv4 address"))
            }
            return .success(address)
        }
    }

    /// Sections named `local_network:<name>` are read as local networks.
    public static let sectionPrefix = "local_network:"
    public static let sectionHelp =
        "Swift Octavia only: one [local_network:<name>] section per network that local_network_driver provides "
        + "(any number; none by default). Network ids must be unique and CIDRs must not overlap."
    public static let options = [
        Option.networkID.descriptor, Option.subnetID.descriptor, Option.subnetName.descriptor, Option.cidr.descriptor,
        Option.gateway.descriptor, Option.allocationPoolStart.descriptor, Option.allocationPoolEnd.descriptor,
    ]

    public init(
        name: String, networkID: String, subnetID: String, subnetName: String, cidr: IPv4CIDR,
        gateway: IPv4Address?, allocationPoolStart: IPv4Address, allocationPoolEnd: IPv4Address
    ) {
        self.name = name
        self.networkID = networkID
        self.subnetID = subnetID
        self.subnetName = subnetName
        self.cidr = cidr
        self.gateway = gateway
        self.allocationPoolStart = allocationPoolStart
        self.allocationPoolEnd = allocationPoolEnd
    }

    /// Reads and checks one section on its own; checks across networks are done by ``OctaviaSettings``.
    public init(name: String, reader: SectionReader) throws(ConfigError) {
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" }) else {
            throw reader.error(line: reader.section?.line, option: nil, reason: "'\(name)' is not a valid network name")
        }
        self.name = name
        networkID = try reader(Option.networkID).lowercased()
        subnetID = try reader(Option.subnetID).lowercased()
        subnetName = try reader(Option.subnetName) ?? "\(name)-subnet"
        let cidr = try reader(Option.cidr)
        let gateway = try reader(Option.gateway)
        self.cidr = cidr
        self.gateway = gateway
        if let gateway, !cidr.isHost(gateway) {
            throw reader.error(option: Option.gateway.name, reason: "\(gateway) is not a host address in \(cidr)")
        }
        var defaultStart = cidr.firstHost
        if let gateway, gateway < cidr.lastHost { defaultStart = IPv4Address(gateway.value + 1) }
        let defaultEnd = gateway == cidr.lastHost ? IPv4Address(cidr.lastHost.value - 1) : cidr.lastHost
        allocationPoolStart = try reader(Option.allocationPoolStart) ?? defaultStart
        allocationPoolEnd = try reader(Option.allocationPoolEnd) ?? defaultEnd
        for (option, address) in [(Option.allocationPoolStart.name, allocationPoolStart),
                                  (Option.allocationPoolEnd.name, allocationPoolEnd)]
        where !cidr.isHost(address) {
            throw reader.error(option: option, reason: "\(address) is not a host address in \(cidr)")
        }
        guard allocationPoolStart <= allocationPoolEnd else {
            throw reader.error(
                option: Option.allocationPoolEnd.name,
                reason: "\(allocationPoolEnd) is before allocation_pool_start \(allocationPoolStart)")
        }
        if let gateway, allocationPoolStart <= gateway, gateway <= allocationPoolEnd {
            throw reader.error(
                option: Option.gateway.name,
                reason: "\(gateway) is inside the allocation pool \(allocationPoolStart)-\(allocationPoolEnd)")
        }
    }
}
