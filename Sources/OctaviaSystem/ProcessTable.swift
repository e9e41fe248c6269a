import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the kernel says about a process, by PID. A zombie counts as gone: the sandbox's PID 1 reaps
/// only about once a second, so `/proc/<pid>` outlives a process that exited long ago
/// (dataplane.md, "Zombie reaping"). Used by ``ChildProcess`` for its own child and by the local
/// drivers for processes they started in amphora namespaces.
public enum ProcessTable {
    /// The one-letter state from `/proc/<pid>/stat` (`R`, `S`, `Z`…), nil when there is no such process.
    public static func state(of pid: Int32) -> Character? {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // `pid (comm) S …`: comm may itself contain spaces and parentheses, so read after the last `)`.
        return stat[stat.index(after: close)...].first { !$0.isWhitespace }
    }

    /// True while `pid` exists and is neither a zombie nor dead. PIDs 0 and 1 are never "ours".
    public static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 1 else { return false }
        #if os(Linux)
        guard let state = state(of: pid) else { return false }
        return state != "Z" && state != "X"
        #else
        return kill(pid, 0) == 0
        #endif
    }

    /// Sends `signal` to `pid` (never to PID 0, 1 or a process group).
    public static func signal(_ pid: Int32, _ signal: Int32) {
        guard pid > 1 else { return }
        _ = kill(pid, signal)
    }

    /// Polls until `pid` is gone or `timeout` passes; true when it is gone.
    public static func waitForExit(_ pid: Int32, timeout: Duration) async -> Bool {
        await waitUntil(timeout: timeout) { !isRunning(pid) }
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    public static func waitUntil(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// The PID written in a pid file, if the file holds one.
    public static func readPIDFile(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
