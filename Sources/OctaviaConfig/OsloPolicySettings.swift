/// `[oslo_policy]` (oslo.policy's options): the RBAC rules applied when auth is on.
public struct OsloPolicySettings: SettingsSection {
    /// `policy_file` (string, optional): YAML/JSON file overriding default rules; a missing or
    /// malformed file is a start-up error.
    public var policyFile: String?
    /// `enforce_new_defaults` (bool, default false): false keeps the deprecated
    /// `load-balancer_*` roles working (OR-ed with the new defaults).
    public var enforceNewDefaults: Bool
    /// `enforce_scope` (bool, default false): accepted; every Octavia rule is project-scoped.
    public var enforceScope: Bool

    public enum Option {
        public static let policyFile: ConfigOption<String?> = .optionalString(
            "policy_file",
            help: "File that overrides default policy rules (YAML or JSON, oslo.policy rule syntax).")
        public static let enforceNewDefaults: ConfigOption<Bool> = .bool(
            "enforce_new_defaults", default: false,
            help: "Use only the new default rules; when false the deprecated load-balancer_* roles keep working.")
        public static let enforceScope: ConfigOption<Bool> = .bool(
            "enforce_scope", default: false, help: "Accepted for compatibility; all rules are project-scoped.")
    }

    public static let sectionName = "oslo_policy"
    public static let sectionHelp = "Role-based access control rules (oslo.policy options)."
    public static let options = [
        Option.policyFile.descriptor, Option.enforceNewDefaults.descriptor, Option.enforceScope.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        policyFile = try reader(Option.policyFile)
        enforceNewDefaults = try reader(Option.enforceNewDefaults)
        enforceScope = try reader(Option.enforceScope)
    }
}
