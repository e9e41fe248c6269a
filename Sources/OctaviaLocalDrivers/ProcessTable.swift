import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `/proc` says about a process. A zombie counts as gone: the sandbox's PID 1 reaps only about once a
/// second, so `/proc/<pid>` outlives a process that exited long ago (dataplane.md, "Zombie reaping").
enum ProcessTable {
    /// The one-letter state from `/proc/<pid>/stat` (`R`, `S`, `Z`…), nil when there is no such process.
    static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // `pid (comm) S …`: comm may itself contain spaces and parentheses, so split after the last `)`.
        return stat[stat.index(after: close)...].first { !$0.isWhitespace }
    }

    static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 1, let state = state(of: pid) else { return false }
        return state != "Z" && state != "X"
    }

    static func signal(_ pid: Int32, _ signal: Int32) {
        guard pid > 1 else { return }
        _ = kill(pid, signal)
    }

    /// Polls until `pid` is gone or `timeout` passes; true when it is gone.
    static func waitForExit(_ pid: Int32, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning(pid) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return true
    }

    /// The PID written in a pid file, if the file holds one.
    static func readPIDFile(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
