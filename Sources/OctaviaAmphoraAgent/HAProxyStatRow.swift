/// One row of HAProxy's `show stat` CSV, by column name.
public struct HAProxyStatRow: Sendable, Equatable {
    public var fields: [String: String]

    public subscript(_ column: String) -> String { fields[column] ?? "" }
    public var proxyName: String { self["pxname"] }
    public var serviceName: String { self["svname"] }
    public func integer(_ column: String) -> Int64 { Int64(self[column]) ?? 0 }

    /// Parses the CSV: the first line is `# pxname,svname,...`; values never contain commas.
    public static func parse(_ csv: String) -> [HAProxyStatRow] {
        var lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first, header.hasPrefix("#") else { return [] }
        lines.removeFirst()
        let columns = header.dropFirst().trimmingCharacters(in: .whitespaces)
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.compactMap { line in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count >= 2 else { return nil }
            var fields: [String: String] = [:]
            for (column, value) in zip(columns, values) where !column.isEmpty { fields[column] = value }
            return HAProxyStatRow(fields: fields)
        }
    }
}
