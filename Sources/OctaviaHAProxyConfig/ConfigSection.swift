/// One haproxy.cfg section: a header line and indented keyword lines.
struct ConfigSection {
    var header: String
    var lines: [String] = []

    init(_ header: String) { self.header = header }

    mutating func add(_ line: String) { lines.append(line) }

    var text: String {
        ([header] + lines.map { "    " + $0 }).joined(separator: "\n") + "\n"
    }
}
