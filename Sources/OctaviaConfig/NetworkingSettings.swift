import OctaviaCore
/// `[networking]`: what users may use as a VIP.
public struct NetworkingSettings: SettingsSection {
    /// `reserved_ips` (list of IPs, default 169.254.169.254): addresses members may not use.
    public var reservedIPs: [String]
    /// `allow_vip_network_id` (bool, default true).
    public var allowVIPNetworkID: Bool
    /// `allow_vip_subnet_id` (bool, default true).
    public var allowVIPSubnetID: Bool
    /// `allow_vip_port_id` (bool, default true).
    public var allowVIPPortID: Bool
    /// `valid_vip_networks` (list, optional): when set, the only networks a VIP may be on.
    public var validVIPNetworks: [String]?
    /// `denylist_vip_networks` (list, default []): networks a VIP may never be on.
    public var denylistVIPNetworks: [String]

    public enum Option {
        public static let reservedIPs: ConfigOption<[String]> = .list(
            "reserved_ips", default: ["169.254.169.254"], help: "List of IP addresses reserved from being used for member addresses.",
            validateElement: { text in
                IPv4Address(text) != nil || text.contains(":") ? nil : "'\(text)' is not an IP address"
            })
        public static let allowVIPNetworkID: ConfigOption<Bool> = .bool(
            "allow_vip_network_id", default: true, help: "Can users supply a network_id for their VIP?")
        public static let allowVIPSubnetID: ConfigOption<Bool> = .bool(
            "allow_vip_subnet_id", default: true, help: "Can users supply a subnet_id for their VIP?")
        public static let allowVIPPortID: ConfigOption<Bool> = .bool(
            "allow_vip_port_id", default: true, help: "Can users supply a port_id for their VIP?")
        public static let validVIPNetworks: ConfigOption<[String]?> = .optionalList(
            "valid_vip_networks", help: "List of network_ids that are valid for VIP creation. When unset, any network is valid.")
        public static let denylistVIPNetworks: ConfigOption<[String]> = .list(
            "denylist_vip_networks", default: [], help: "List of network_ids that are not allowed for VIP creation.")
    }

    public static let sectionName = "networking"
    public static let sectionHelp = "Which networks and addresses users may use."
    public static let options = [
        Option.reservedIPs.descriptor, Option.allowVIPNetworkID.descriptor, Option.allowVIPSubnetID.descriptor,
        Option.allowVIPPortID.descriptor, Option.validVIPNetworks.descriptor, Option.denylistVIPNetworks.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        reservedIPs = try reader(Option.reservedIPs)
        allowVIPNetworkID = try reader(Option.allowVIPNetworkID)
        allowVIPSubnetID = try reader(Option.allowVIPSubnetID)
        allowVIPPortID = try reader(Option.allowVIPPortID)
        validVIPNetworks = try reader(Option.validVIPNetworks)
        denylistVIPNetworks = try reader(Option.denylistVIPNetworks)
    }
}
