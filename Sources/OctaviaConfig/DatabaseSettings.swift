/// `[database]`: where the store lives.
public struct DatabaseSettings: SettingsSection {
    /// `connection` (database URL, default `sqlite:////var/lib/swift-octavia/octavia.db`).
    /// See ``DatabaseConnection`` for the accepted forms.
    public var connection: DatabaseConnection

    public enum Option {
        public static let connection: ConfigOption<DatabaseConnection> = .custom(
            "connection", typeName: "string value",
            default: .sqlite(path: "/var/lib/swift-octavia/octavia.db"),
            defaultText: "sqlite:////var/lib/swift-octavia/octavia.db",
            help: "The database URL: sqlite:////absolute/path.db (four slashes), sqlite:// (in memory), "
                + "or postgresql://user:password@host:port/database.",
            convert: DatabaseConnection.parse)
    }

    public static let sectionName = "database"
    public static let sectionHelp = "The database holding load balancers, amphorae and the job queue."
    public static let options = [Option.connection.descriptor]

    public init(reader: SectionReader) throws(ConfigError) {
        connection = try reader(Option.connection)
    }
}
