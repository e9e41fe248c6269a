/// `[local_networking]` (ours): bridges standing in for Neutron networks, plus every
/// `[local_network:<name>]` section in ``networks``.
public struct LocalNetworkingSettings: SettingsSection {
    /// `switch_namespace` (string, default "octavia-sw"): the namespace holding the bridges, so no
    /// interface is added to the host namespace.
    public var switchNamespace: String
    /// `mtu` (int 68-65535, default 1500): MTU of bridges and amphora interfaces.
    public var mtu: Int
    /// The `[local_network:<name>]` sections, in file order; validated against each other.
    public var networks: [LocalNetworkSettings]

    public enum Option {
        public static let switchNamespace: ConfigOption<String> = .string(
            "switch_namespace", default: "octavia-sw",
            help: "Network namespace holding the bridges of local networks, so no interface is added to the host namespace.",
            validate: { text in
                text.isEmpty || text.contains(where: { $0.isWhitespace || $0 == "/" })
                    ? "'\(text)' is not a valid namespace name" : nil
            })
        public static let mtu: ConfigOption<Int> = .integer(
            "mtu", default: 1500, min: 68, max: 65535, help: "MTU of local network bridges and amphora interfaces.")
    }

    public static let sectionName = "local_networking"
    public static let sectionHelp = "Swift Octavia only: local_network_driver provides networks as bridges on this machine."
    public static let options = [Option.switchNamespace.descriptor, Option.mtu.descriptor]

    /// Reads this section only; ``networks`` is filled by ``OctaviaSettings/parse(_:path:)``.
    public init(reader: SectionReader) throws(ConfigError) {
        switchNamespace = try reader(Option.switchNamespace)
        mtu = try reader(Option.mtu)
        networks = []
    }

    /// The network with `id`, if configured.
    public func network(id: String) -> LocalNetworkSettings? {
        networks.first { $0.networkID == id.lowercased() }
    }
}
