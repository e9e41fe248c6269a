/// The master CLI's `show proc` answer, reduced to what reload confirmation needs:
///
///     #<PID>          <type>          <reloads>       <uptime>        <version>
///     24178           master          1 [failed: 0]   0d00h00m01s     2.6.12
///     # workers
///     24280           worker          0               0d00h00m01s     2.6.12
///     # old workers
///     24181           worker          1               ...
struct MasterProcessTable: Equatable, Sendable {
    var masterPID: Int32
    var reloads: Int
    var failedReloads: Int
    /// Current workers only (not the old ones still draining).
    var workerPIDs: [Int32]

    init?(_ text: String) {
        var master: (Int32, Int, Int)? = nil
        var workers: [Int32] = []
        var section = "master"
        for line in text.split(separator: "\n") {
            let trimmed = line.trimming(" \t")
            if trimmed.hasPrefix("#") {
                if trimmed.hasPrefix("#<") { continue }
                section = trimmed.dropFirst().trimming(" \t")
                continue
            }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 3, let pid = Int32(fields[0]) else { continue }
            if fields[1] == "master" {
                let reloads = Int(fields[2]) ?? 0
                var failed = 0
                if let range = trimmed.range(of: "failed:") {
                    failed = Int(trimmed[range.upperBound...].prefix { $0 != "]" }.trimming(" ")) ?? 0
                }
                master = (pid, reloads, failed)
            } else if fields[1] == "worker", section == "workers" {
                workers.append(pid)
            }
        }
        guard let master else { return nil }
        masterPID = master.0; reloads = master.1; failedReloads = master.2; workerPIDs = workers
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
