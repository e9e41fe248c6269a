import Foundation

/// The text-to-value rules shared by the option kinds.
enum ConfigValueParsing {
    static func bool(_ text: String) -> Result<Bool, ConversionFailure> {
        switch text.lowercased() {
        case "true", "yes", "on", "1": return .success(true)
        case "false", "no", "off", "0": return .success(false)
        default: return .failure(ConversionFailure("'\(text)' is not a boolean (true/false, yes/no, on/off, 1/0)"))
        }
    }

    static func integer(_ text: String, min: Int?, max: Int?) -> Result<Int, ConversionFailure> {
        guard let value = Int(text) else {
            return .failure(ConversionFailure("'\(text)' is not an integer"))
        }
        if let min, value < min {
            return .failure(ConversionFailure("\(value) is below the minimum \(min)"))
        }
        if let max, value > max {
            return .failure(ConversionFailure("\(value) is above the maximum \(max)"))
        }
        return .success(value)
    }

    static func port(_ text: String) -> Result<Int, ConversionFailure> {
        guard let value = Int(text), (1...65535).contains(value) else {
            return .failure(ConversionFailure("'\(text)' is not a valid port (1-65535)"))
        }
        return .success(value)
    }

    static func float(_ text: String, min: Double?) -> Result<Double, ConversionFailure> {
        guard let value = Double(text), value.isFinite else {
            return .failure(ConversionFailure("'\(text)' is not a number"))
        }
        if let min, value < min {
            return .failure(ConversionFailure("\(text) is below the minimum \(render(min))"))
        }
        return .success(value)
    }

    static func list(_ text: String, validateElement: (@Sendable (String) -> String?)?) -> Result<[String], ConversionFailure> {
        let items = splitList(text)
        if let validateElement {
            for item in items {
                if let reason = validateElement(item) { return .failure(ConversionFailure(reason)) }
            }
        }
        return .success(items)
    }

    static func dict(_ text: String) -> Result<[String: String], ConversionFailure> {
        var result: [String: String] = [:]
        for item in splitList(text) {
            guard let colon = item.firstIndex(of: ":") else {
                return .failure(ConversionFailure("'\(item)' is not a 'key:value' pair"))
            }
            let key = String(item[..<colon]).trimmingWhitespace()
            let value = String(item[item.index(after: colon)...]).trimmingWhitespace()
            guard !key.isEmpty else { return .failure(ConversionFailure("'\(item)' has an empty key")) }
            guard result[key] == nil else { return .failure(ConversionFailure("key '\(key)' appears twice")) }
            result[key] = value
        }
        return .success(result)
    }

    /// Splits on commas (and the newlines of continuation lines), trims, and drops empty items.
    static func splitList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "\n" })
            .map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// `10.0` renders as `10.0`, `0.5` as `0.5`: stable text for the sample.
    static func render(_ value: Double) -> String {
        String(value)
    }

    /// `host:port` with a valid port; IPv6 hosts in brackets.
    static func hostPortReason(_ text: String) -> String? {
        guard let colon = text.lastIndex(of: ":") else { return "'\(text)' is not 'host:port'" }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { return "'\(text)' is not 'host:port'" }
        if case .failure = port(String(text[text.index(after: colon)...])) {
            return "'\(text)' has an invalid port (1-65535)"
        }
        return nil
    }

    /// Rejects empty hosts and anything with spaces; a bind host is an IP address or a hostname.
    static func hostAddressReason(_ text: String) -> String? {
        if text.isEmpty { return "a host address is required" }
        if text.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" }) {
            return "'\(text)' is not a valid host address"
        }
        return nil
    }

    static func uuidReason(_ text: String) -> String? {
        UUID(uuidString: text) == nil ? "'\(text)' is not a UUID" : nil
    }
}
