/// The attributes of the object a request acts on, as oslo.policy's `target` dictionary.
/// Octavia passes `{"project_id": <owner project>}`.
public struct PolicyTarget: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The usual Octavia target: the owning project (nil when the request names none).
    public static func project(_ projectID: String?) -> PolicyTarget {
        PolicyTarget(projectID.map { ["project_id": $0] } ?? [:])
    }

    /// Python's `match % target`: replaces each `%(name)s`; nil when a name is missing (the
    /// check then fails, as oslo.policy's KeyError does). `%%` is a literal `%`.
    public func substitute(_ template: String) -> String? {
        guard template.contains("%") else { return template }
        var result = ""
        var rest = Substring(template)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if after.first == "%" {
                result += "%"
                rest = after.dropFirst()
                continue
            }
            guard after.first == "(", let close = after.firstIndex(of: ")"),
                  after[after.index(after: close)...].first == "s"
            else { return nil }
            let name = String(after[after.index(after: after.startIndex)..<close])
            guard let value = values[name] else { return nil }
            result += value
            rest = after[after.index(close, offsetBy: 2)...]
        }
        return result + rest
    }
}
