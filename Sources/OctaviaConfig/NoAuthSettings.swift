import OctaviaCore

/// `[noauth]` (ours): behaviour when `[api_settings] auth_strategy = noauth`.
public struct NoAuthSettings: SettingsSection {
    /// `default_project_id` (string, default "default"): project of requests that name none.
    public var defaultProjectID: ProjectID

    public enum Option {
        public static let defaultProjectID: ConfigOption<String> = .string(
            "default_project_id", default: "default",
            help: "Project used for requests that name none when auth_strategy = noauth.",
            validate: { text in
                text.isEmpty || text.count > 36 || text.contains(where: \.isWhitespace)
                    ? "'\(text)' is not a project id (1-36 characters, no spaces)" : nil
            })
    }

    public static let sectionName = "noauth"
    public static let sectionHelp = "Swift Octavia only: requests without authentication (auth_strategy = noauth)."
    public static let options = [Option.defaultProjectID.descriptor]

    public init(reader: SectionReader) throws(ConfigError) {
        defaultProjectID = ProjectID(try reader(Option.defaultProjectID))
    }
}
