/// An oslo.config-style INI file: `[section]` headers, `key = value` lines, `#`/`;` comments,
/// continuation lines indented under a key. Keeps line numbers for error messages.
public struct INIFile: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public struct Section: Sendable {
        public var name: String
        public var line: Int
        public var entries: [Entry]

        public func value(_ key: String) -> String? { entries.last { $0.key == key }?.value }
        public func entry(_ key: String) -> Entry? { entries.last { $0.key == key } }
    }

    /// Where the text came from, for error messages.
    public var path: String
    public var sections: [Section]

    public func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    public struct ParseError: Error, Sendable, CustomStringConvertible, Equatable {
        public var path: String
        public var line: Int
        public var reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    public init(path: String, sections: [Section]) {
        self.path = path
        self.sections = sections
    }

    /// Parses `text`; sections with the same name are merged, later keys win.
    public static func parse(_ text: String, path: String) throws -> INIFile {
        var sections: [Section] = []
        var current: Int? = nil
        var lastEntry: (section: Int, entry: Int)? = nil
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine).replacingTrailingCR()
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                continue
            }
            if let first = line.first, first == " " || first == "\t", let last = lastEntry {
                // Continuation of the previous value.
                sections[last.section].entries[last.entry].value += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw ParseError(path: path, line: lineNumber, reason: "malformed section header '\(trimmed)'")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingWhitespace()
                if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append(Section(name: name, line: lineNumber, entries: []))
                    current = sections.count - 1
                }
                lastEntry = nil
                continue
            }
            guard let sectionIndex = current else {
                throw ParseError(path: path, line: lineNumber, reason: "option outside of any section: '\(trimmed)'")
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(path: path, line: lineNumber, reason: "expected 'key = value', got '\(trimmed)'")
            }
            let key = String(trimmed[..<separator]).trimmingWhitespace()
            let value = String(trimmed[trimmed.index(after: separator)...]).trimmingWhitespace()
            guard !key.isEmpty else {
                throw ParseError(path: path, line: lineNumber, reason: "empty option name")
            }
            sections[sectionIndex].entries.append(Entry(key: key, value: value, line: lineNumber))
            lastEntry = (sectionIndex, sections[sectionIndex].entries.count - 1)
        }
        return INIFile(path: path, sections: sections)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(scalars)
    }

    func replacingTrailingCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
