import Foundation
import OctaviaHealthManager

/// Collects the processor's batch reports during one benchmark phase; the observer only appends
/// under a lock, so recording costs the processor next to nothing.
final class BenchRecorder: @unchecked Sendable {
    /// One phase's outcome.
    struct Summary: Sendable {
        var accepted: Int
        var rejected: Int
        var batches: Int
        var p50: Double
        var p99: Double
        var max: Double
        /// Last commit of the phase.
        var lastCommit: Date?
        /// Database-stage seconds: tree lookups, status rules, write transactions.
        var lookup = 0.0, rules = 0.0, write = 0.0
    }

    private let lock = NSLock()
    private var latencies: [Double] = []
    private var rejected = 0
    private var batches = 0
    private var lastReport = Date()
    private var lastCommit: Date?
    private var stages = (lookup: 0.0, rules: 0.0, write: 0.0)

    func add(_ report: HeartbeatProcessor.BatchReport) {
        lock.withLock {
            latencies += report.latencies
            rejected += report.rejected.values.reduce(0, +)
            batches += 1
            lastReport = Date()
            if report.accepted > 0 { lastCommit = report.committedAt }
            stages.lookup += report.lookupSeconds
            stages.rules += report.rulesSeconds
            stages.write += report.writeSeconds
        }
    }

    /// Forgets everything recorded so far (a new phase starts).
    func reset() {
        lock.withLock { latencies = []; rejected = 0; batches = 0; lastCommit = nil; lastReport = Date(); stages = (0, 0, 0) }
    }

    /// Waits until `expected` heartbeats were accepted or rejected, or no batch was reported for
    /// `quiet` seconds (the rest was lost), at most `limit` seconds.
    func waitUntilDone(expected: Int, quiet: Double, limit: Double) async {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            let (done, idle) = lock.withLock { (latencies.count + rejected >= expected, Date().timeIntervalSince(lastReport)) }
            if done || idle >= quiet { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func summary() -> Summary {
        lock.lock()
        let sorted = latencies.sorted()
        let (rejected, batches, last, stages) = (self.rejected, self.batches, lastCommit, self.stages)
        lock.unlock()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        return Summary(accepted: sorted.count, rejected: rejected, batches: batches, p50: percentile(0.5),
                       p99: percentile(0.99), max: sorted.last ?? 0, lastCommit: last, lookup: stages.lookup,
                       rules: stages.rules, write: stages.write)
    }
}
