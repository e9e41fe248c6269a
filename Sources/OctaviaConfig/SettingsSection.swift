/// A typed view of one octavia.conf section, built from its declared options.
public protocol SettingsSection: Sendable, Equatable {
    /// The section name between brackets (`api_settings`).
    static var sectionName: String { get }
    /// Why the section exists, printed above it in the sample config.
    static var sectionHelp: String { get }
    /// Every option the section accepts, in sample order.
    static var options: [OptionDescriptor] { get }
    /// Reads every option; absent ones take their defaults.
    init(reader: SectionReader) throws(ConfigError)
}

extension SettingsSection {
    /// All defaults: what an empty or absent section means.
    public init() {
        do {
            try self.init(reader: .defaults(for: Self.sectionName))
        } catch {
            preconditionFailure("defaults of [\(Self.sectionName)] must be valid: \(error)")
        }
    }
}
