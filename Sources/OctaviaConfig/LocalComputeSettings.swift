/// `[local_compute]` (ours): amphorae as network namespaces on this machine.
public struct LocalComputeSettings: SettingsSection {
    /// `state_path` (path, default /var/lib/swift-octavia/amphorae): per-amphora directories.
    public var statePath: String
    /// `agent_command` (path, optional): the amphora-agent binary; unset = the `amphora-agent`
    /// next to the running `octavia` executable.
    public var agentCommand: String?
    /// `namespace_prefix` (string, default "octavia-amp-"): prefix of amphora namespace names.
    public var namespacePrefix: String
    /// `agent_boot_timeout` (int s ≥ 1, default 30): how long an agent may take to answer after start.
    public var agentBootTimeout: Int
    /// `haproxy_max_connections` (int ≥ 1, default 6000): global maxconn cap inside local amphorae,
    /// because RLIMIT_NOFILE is small there.
    public var haproxyMaxConnections: Int

    public enum Option {
        public static let statePath: ConfigOption<String> = .string(
            "state_path", default: "/var/lib/swift-octavia/amphorae",
            help: "Directory holding one directory per local amphora (agent state, certificates, logs).",
            validate: { $0.isEmpty ? "a path is required" : nil })
        public static let agentCommand: ConfigOption<String?> = .optionalString(
            "agent_command",
            help: "Path to the amphora-agent binary. When unset, the amphora-agent next to the running "
                + "octavia executable is used.")
        public static let namespacePrefix: ConfigOption<String> = .string(
            "namespace_prefix", default: "octavia-amp-", help: "Prefix of the network namespace names of local amphorae.",
            validate: { text in
                text.isEmpty || text.contains(where: { $0.isWhitespace || $0 == "/" })
                    ? "'\(text)' is not a valid namespace prefix" : nil
            })
        public static let agentBootTimeout: ConfigOption<Int> = .integer(
            "agent_boot_timeout", default: 30, min: 1,
            help: "Seconds to wait for a local amphora's agent to answer after it was started.")
        public static let haproxyMaxConnections: ConfigOption<Int> = .integer(
            "haproxy_max_connections", default: 6000, min: 1,
            help: "Cap on HAProxy's global maxconn inside local amphorae. HAProxy needs about 2.5 file descriptors per connection (sockets plus splice pipes), so keep it under 40% of the open-file limit (20000 on this kind of machine).")
    }

    public static let sectionName = "local_compute"
    public static let sectionHelp = "Swift Octavia only: local_compute_driver runs amphorae in network namespaces on this machine."
    public static let options = [
        Option.statePath.descriptor, Option.agentCommand.descriptor, Option.namespacePrefix.descriptor,
        Option.agentBootTimeout.descriptor, Option.haproxyMaxConnections.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        statePath = try reader(Option.statePath)
        agentCommand = try reader(Option.agentCommand)
        namespacePrefix = try reader(Option.namespacePrefix)
        agentBootTimeout = try reader(Option.agentBootTimeout)
        haproxyMaxConnections = try reader(Option.haproxyMaxConnections)
    }
}
