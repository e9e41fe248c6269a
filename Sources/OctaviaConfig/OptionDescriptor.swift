/// What the registry knows about one option, independent of its Swift type:
/// enough to check names and to write the sample config.
public struct OptionDescriptor: Sendable, Equatable {
    /// The option name as written in the file (`bind_port`).
    public var name: String
    /// Human type name shown in the sample (`port value`, `boolean value`).
    public var typeName: String
    /// The default as INI text; nil means unset (`<None>` in the sample).
    public var defaultText: String?
    /// What the option does; wrapped into comment lines in the sample.
    public var help: String
    /// Allowed values for enumerations.
    public var choices: [String]?
    /// Inclusive lower and upper bounds for numbers.
    public var minimum: String?
    public var maximum: String?
    /// Options without a default that must be set (only in `[local_network:<name>]`).
    public var isRequired: Bool
    /// Secrets are never echoed back in error messages.
    public var isSecret: Bool

    public init(
        name: String, typeName: String, defaultText: String?, help: String,
        choices: [String]? = nil, minimum: String? = nil, maximum: String? = nil,
        isRequired: Bool = false, isSecret: Bool = false
    ) {
        self.name = name
        self.typeName = typeName
        self.defaultText = defaultText
        self.help = help
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.isRequired = isRequired
        self.isSecret = isSecret
    }
}
