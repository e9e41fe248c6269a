import Foundation
import Yams

/// An operator's policy override file (`[oslo_policy] policy_file`): YAML (or JSON, which is
/// YAML) mapping rule names to check strings. oslo.policy's old list form
/// (`[["role:a", "role:b"], ["role:c"]]` = (a and b) or c) is accepted too.
public enum PolicyFile {
    /// - Throws: ``PolicyError`` naming the file when it cannot be read, is not YAML, is not a
    ///   mapping of names to rules, or a rule does not parse.
    public static func load(path: String) throws(PolicyError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyError("policy file \(path): cannot be read")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(PolicyError) -> [String: String] {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw PolicyError("policy file \(path): not valid YAML: \(error)")
        }
        guard let document else { return [:] }
        guard let mapping = document as? [String: Any] else {
            throw PolicyError("policy file \(path): expected a mapping of rule names to check strings")
        }
        var result: [String: String] = [:]
        for (name, value) in mapping {
            let text: String
            switch value {
            case let string as String: text = string
            case let alternatives as [Any]:
                guard let lists = alternatives as? [[String]] else {
                    throw PolicyError("policy file \(path): rule '\(name)' is a list but not a list of lists of checks")
                }
                text = lists.map { "(" + ($0.isEmpty ? "@" : $0.joined(separator: " and ")) + ")" }
                    .joined(separator: " or ")
                if lists.isEmpty { result[name] = "@"; continue }
            default:
                throw PolicyError("policy file \(path): rule '\(name)' is not a check string")
            }
            do {
                _ = try PolicyParser.parse(text)
            } catch {
                throw PolicyError("policy file \(path): rule '\(name)': \(error.description)")
            }
            result[name] = text
        }
        return result
    }
}
