import Foundation

/// `[DEFAULT]`: process-wide options.
public struct DefaultSettings: SettingsSection {
    /// `host` (string, default: this machine's hostname): the name this controller reports as.
    public var host: String
    /// `debug` (bool, default false): log at debug level instead of info.
    public var debug: Bool
    /// `log_file` (string, optional): path to write logs to; unset writes to stderr.
    public var logFile: String?

    public enum Option {
        public static let host: ConfigOption<String> = .string(
            "host", default: ProcessInfo.processInfo.hostName, sampleDefault: "<server-hostname>",
            help: "The hostname Octavia is running on.", validate: ConfigValueParsing.hostAddressReason)
        public static let debug: ConfigOption<Bool> = .bool(
            "debug", default: false, help: "Log at debug level instead of the default info level.")
        public static let logFile: ConfigOption<String?> = .optionalString(
            "log_file", help: "Path of a file to write logs to. When unset, logs go to stderr.")
    }

    public static let sectionName = "DEFAULT"
    public static let sectionHelp = "Options of every Octavia process."
    public static let options = [Option.host.descriptor, Option.debug.descriptor, Option.logFile.descriptor]

    public init(reader: SectionReader) throws(ConfigError) {
        host = try reader(Option.host)
        debug = try reader(Option.debug)
        logFile = try reader(Option.logFile)
    }
}
