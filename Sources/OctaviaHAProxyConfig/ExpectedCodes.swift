/// Octavia's `expected_codes` syntax: a single code (`200`), a range (`200-204`) or a
/// comma-separated list (`200, 202`), possibly mixed.
public enum ExpectedCodes {
    /// The codes named by `text`, ascending and without duplicates.
    ///
    /// Octavia expands into an unordered set; we sort so the rendered config is stable.
    /// Parts that are not numbers or ranges (which API validation rejects) are ignored.
    public static func expand(_ text: String) -> [Int] {
        var codes = Set<Int>()
        for part in text.split(separator: ",") {
            let token = part.trimmingCharacters(in: " \t")
            if token.isEmpty { continue }
            let bounds = token.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let code = Int(token) {
                codes.insert(code)
            } else if bounds.count == 2, let low = Int(bounds[0].trimmingCharacters(in: " \t")),
                      let high = Int(bounds[1].trimmingCharacters(in: " \t")), low <= high {
                codes.formUnion(low...high)
            }
        }
        return codes.sorted()
    }

    /// The `http-check expect rstatus` pattern: every code joined with `|`.
    /// Falls back to `200` (the API default) when `text` is nil or names no code.
    public static func haproxyPattern(_ text: String?) -> String {
        let codes = text.map(expand) ?? []
        return codes.isEmpty ? "200" : codes.map(String.init).joined(separator: "|")
    }
}

extension Substring {
    /// Trims the given characters from both ends (Foundation-free).
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
