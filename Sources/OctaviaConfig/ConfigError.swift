/// A problem in octavia.conf, located precisely enough for an operator to fix it:
/// `/etc/octavia/octavia.conf:12: [api_settings] bind_port: '99999' is not a valid port (1-65535)`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the text came from.
    public var path: String
    /// 1-based line, when the problem is tied to one.
    public var line: Int?
    /// The section, without brackets (`api_settings`, `local_network:public`).
    public var section: String?
    /// The option name, when the problem concerns one option.
    public var option: String?
    /// What is wrong, without the location prefix.
    public var reason: String

    public init(path: String, line: Int? = nil, section: String? = nil, option: String? = nil, reason: String) {
        self.path = path
        self.line = line
        self.section = section
        self.option = option
        self.reason = reason
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if let section { text += "[\(section)] " }
        if let option { text += "\(option): " }
        return text + reason
    }
}
