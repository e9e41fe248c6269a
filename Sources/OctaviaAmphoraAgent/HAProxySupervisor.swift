import Foundation
import Logging
import OctaviaSystem

/// Runs one HAProxy per load balancer in master-worker mode as our own child process, so we
/// reap it and always know its pid (a daemonised HAProxy would be reparented to PID 1, which
/// reaps slowly here). Reloads go through the master CLI, which hands the listening sockets to
/// the new worker: no connection is refused during a reload (measured in dataplane.md).
public actor HAProxySupervisor {
    let basePath: String
    let haproxyCommand: String
    let logger: Logger
    private var running: [String: Process] = [:]

    public init(basePath: String, haproxyCommand: String, logger: Logger) {
        self.basePath = basePath
        self.haproxyCommand = haproxyCommand
        self.logger = logger
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    func directory(_ lb: String) -> String { "\(basePath)/\(lb)" }
    func configPath(_ lb: String) -> String { "\(directory(lb))/haproxy.cfg" }
    func masterSocket(_ lb: String) -> String { "\(directory(lb))/master.sock" }
    func statsSocket(_ lb: String) -> String { "\(basePath)/\(lb).sock" }

    public func isRunning(_ lb: String) -> Bool { running[lb]?.isRunning ?? false }

    /// The pids of every master we started (for tests and diagnostics).
    public func masterPIDs() -> [String: Int32] { running.compactMapValues { $0.isRunning ? $0.processIdentifier : nil } }

    /// Starts HAProxy for `lb` with its stored config; a running one is left as it is.
    public func start(_ lb: String) async throws {
        if isRunning(lb) { return }
        guard FileManager.default.fileExists(atPath: configPath(lb)) else {
            throw Failure(description: "no configuration for load balancer \(lb)")
        }
        try? FileManager.default.removeItem(atPath: masterSocket(lb))
        let stateFile = "\(directory(lb))/servers-state"
        if !FileManager.default.fileExists(atPath: stateFile) {
            // HAProxy warns on a missing state file; "1" is the empty version-1 format.
            FileManager.default.createFile(atPath: stateFile, contents: Data("1\n".utf8))
        }
        let log = "\(directory(lb))/haproxy.log"
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: haproxyCommand)
        process.arguments = ["-W", "-S", masterSocket(lb), "-f", configPath(lb), "-p", "\(directory(lb))/\(lb).pid"]
        let output = FileHandle(forWritingAtPath: log)
        output?.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        running[lb] = process
        logger.info("haproxy started", metadata: ["lb": "\(lb)", "pid": "\(process.processIdentifier)"])
        // Ready when the master answers and has a worker.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                running[lb] = nil
                let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? ""
                throw Failure(description: "haproxy exited at start: \(tail)")
            }
            if let proc = try? await UnixSocketClient.send("show proc", to: masterSocket(lb), timeout: .seconds(1)),
               proc.contains("worker") {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "haproxy for \(lb) did not become ready within 10 s")
    }

    /// Hitless reload with the stored config; starts HAProxy when it is not running.
    public func reload(_ lb: String) async throws {
        guard isRunning(lb) else { return try await start(lb) }
        // Keep health-check state across the reload (`load-server-state-from-file global`).
        if let state = try? await UnixSocketClient.send("show servers state", to: statsSocket(lb), timeout: .seconds(2)),
           state.hasPrefix("1") {
            try? state.write(toFile: "\(directory(lb))/servers-state", atomically: true, encoding: .utf8)
        }
        var lastError = "unknown"
        for _ in 0..<3 {
            let before = (try? await masterReloads(lb)) ?? -1
            _ = try? await UnixSocketClient.send("reload", to: masterSocket(lb), timeout: .seconds(5))
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if let after = try? await masterReloads(lb), after > before { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            lastError = "the master did not report a new reload"
        }
        throw Failure(description: "reload of \(lb) failed: \(lastError)")
    }

    /// The master's reload counter from `show proc` (`<pid> master <reloads> <uptime> <version>`).
    func masterReloads(_ lb: String) async throws -> Int {
        let proc = try await UnixSocketClient.send("show proc", to: masterSocket(lb), timeout: .seconds(1))
        for line in proc.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 3, fields[1] == "master", let n = Int(fields[2]) { return n }
        }
        throw Failure(description: "no master line in show proc")
    }

    /// Stops HAProxy for `lb`: soft stop first (finish current requests), then harder.
    public func stop(_ lb: String) async {
        guard let process = running[lb] else { return }
        running[lb] = nil
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGUSR1)
        for signal in [SIGTERM, SIGKILL] {
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if !process.isRunning { break }
            kill(pid, signal)
        }
        logger.info("haproxy stopped", metadata: ["lb": "\(lb)", "pid": "\(pid)"])
    }

    public func stopAll() async {
        for lb in running.keys { await stop(lb) }
    }
}
