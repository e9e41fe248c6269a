/// Reads typed values of one section. Errors name the file, line, section and option.
public struct SectionReader: Sendable {
    /// The file the section came from.
    public let path: String
    /// The section name as written between brackets.
    public let sectionName: String
    /// The parsed section; nil when the file has no such section (every option takes its default).
    public let section: INIFile.Section?

    public init(path: String, sectionName: String, section: INIFile.Section?) {
        self.path = path
        self.sectionName = sectionName
        self.section = section
    }

    /// A reader that has no values, so every option takes its default.
    public static func defaults(for sectionName: String) -> SectionReader {
        SectionReader(path: "<defaults>", sectionName: sectionName, section: nil)
    }

    /// The option's value, or its default when absent.
    /// - Throws: ``ConfigError`` when the value does not parse, or a required option is missing.
    public func callAsFunction<Value>(_ option: ConfigOption<Value>) throws(ConfigError) -> Value {
        guard let entry = section?.entry(option.name) else {
            if let value = option.defaultValue { return value }
            throw error(line: section?.line, option: option.name, reason: "required option is missing")
        }
        switch option.parse(entry.value) {
        case .success(let value):
            return value
        case .failure(let failure):
            let reason = option.descriptor.isSecret ? "invalid value (not shown: secret)" : failure.reason
            throw error(line: entry.line, option: option.name, reason: reason)
        }
    }

    /// The line an option was set on, for errors found after conversion (e.g. cross-option checks).
    public func line(of name: String) -> Int? { section?.entry(name)?.line ?? section?.line }

    /// An error located in this section.
    public func error(line: Int?, option: String?, reason: String) -> ConfigError {
        ConfigError(path: path, line: line, section: sectionName, option: option, reason: reason)
    }

    /// An error about `option`, located at the line it was set on (or the section header).
    public func error(option: String, reason: String) -> ConfigError {
        error(line: line(of: option), option: option, reason: reason)
    }
}
