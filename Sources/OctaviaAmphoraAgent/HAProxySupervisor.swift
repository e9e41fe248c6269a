import Foundation
import Logging
import OctaviaSystem

/// Owns every HAProxy this agent runs: one master-worker instance per load balancer, started as our
/// own child (`-W` without `-D`) so we reap it and never signal anything we did not start.
/// Operations are serialised: the controller never needs two at once, and interleaving a reload
/// with a stop would be unsafe.
public actor HAProxySupervisor {
    /// Timing knobs; tests shorten them.
    public struct Timeouts: Sendable {
        public var startup: Duration = .seconds(15)
        public var reload: Duration = .seconds(10)
        /// Wait after SIGUSR1 (soft stop) before SIGTERM, then the same again before SIGKILL.
        public var stopGrace: Duration = .seconds(10)
        public init() {}
    }

    public let basePath: String
    public let haproxyCommand: String
    public let amphoraID: String
    public let topology: AgentTopology
    private let timeouts: Timeouts
    private let logger: Logger
    private let runner = SystemRunner()
    private var running: [LoadBalancerID: ChildProcess] = [:]
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(basePath: String, haproxyCommand: String, amphoraID: String, topology: AgentTopology = .single,
                timeouts: Timeouts = Timeouts(), logger: Logger) {
        self.basePath = basePath; self.haproxyCommand = haproxyCommand; self.amphoraID = amphoraID
        self.topology = topology; self.timeouts = timeouts; self.logger = logger
    }

    public init(settings: AgentSettings, logger: Logger) {
        self.init(basePath: settings.basePath, haproxyCommand: settings.haproxyCommand, amphoraID: settings.amphoraID,
                  topology: settings.topology, logger: logger)
    }

    public nonisolated func paths(_ id: LoadBalancerID) -> HAProxyPaths { HAProxyPaths(basePath: basePath, id: id) }

    /// HAProxy's local peer name, as Octavia derives it: base64(sha1(amphora id)) without padding.
    public nonisolated var peerName: String {
        Data(Digest.sha1(Array(amphoraID.utf8))).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The master PID of a running instance we started.
    public func masterPID(_ id: LoadBalancerID) -> Int32? {
        guard let process = running[id], process.isRunning else { return nil }
        return process.pid
    }

    /// Every master PID we started that is still alive.
    public func runningMasterPIDs() -> [Int32] { running.values.filter(\.isRunning).map(\.pid) }

    // MARK: Configuration

    /// Stores `text` as the load balancer's haproxy.cfg after `haproxy -c` accepts it.
    /// - Returns: the md5 of `text` (the ETag).
    /// - Throws: ``AgentError`` 400 with HAProxy's output when the configuration is invalid; the
    ///   rejected text is kept as `haproxy.cfg-failed` and the current config is left alone.
    ///   ``AgentError`` 500 with the reason when the file cannot be written, checked or put in place.
    @discardableResult
    public func storeConfig(_ text: String, for id: LoadBalancerID) async throws -> String {
        await acquire(); defer { release() }
        let paths = paths(id)
        do {
            try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
            // PING monitors' external check; `haproxy -c` below already wants it to exist.
            try PingWrapper.install(in: basePath)
            try Data(Self.strippingGlobalGroup(text).utf8).write(to: URL(fileURLWithPath: paths.newConfig))
        } catch {
            throw AgentError(.internalServerError, "Error storing haproxy configuration", details: "\(error)")
        }
        let check: CommandResult
        do {
            check = try await runner.run([haproxyCommand, "-c", "-L", peerName, "-f", paths.newConfig])
        } catch {
            throw AgentError(.internalServerError, "Error checking haproxy configuration", details: "\(error)")
        }
        guard check.succeeded else {
            try? FileManager.default.removeItem(atPath: paths.failedConfig)
            try? FileManager.default.moveItem(atPath: paths.newConfig, toPath: paths.failedConfig)
            logger.warning("rejected haproxy config", metadata: ["lb": "\(id)"])
            throw AgentError.invalid((check.output + check.error).trimming(" \n"))
        }
        // rename(2) replaces the config atomically; if it fails the old config is still in place
        // and the controller must not be told (202) that the new one was stored.
        guard rename(paths.newConfig, paths.config) == 0 else {
            let reason = String(cString: strerror(errno))
            throw AgentError(.internalServerError, "Error storing haproxy configuration",
                             details: "rename \(paths.newConfig) to \(paths.config): \(reason)")
        }
        return Digest.md5Hex(Array(text.utf8))
    }

    /// The stored haproxy.cfg, or nil when there is none.
    public func config(for id: LoadBalancerID) -> String? {
        try? String(contentsOfFile: paths(id).config, encoding: .utf8)
    }

    /// Octavia drops `group` lines from `global`: the amphora image decides the group, not the controller.
    static func strippingGlobalGroup(_ text: String) -> String {
        var inGlobal = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indented = line.first == " " || line.first == "\t"
            let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            if !indented, let first { inGlobal = first == "global" }
            if inGlobal, indented, first == "group" { continue }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Lifecycle

    /// Starts HAProxy unless it already runs. - Returns: a details text for the reply.
    public func start(_ id: LoadBalancerID) async throws -> String {
        await acquire(); defer { release() }
        return try await startLocked(id)
    }

    /// Reloads HAProxy through the master CLI (hitless: the master hands the listeners to the new
    /// worker), starting it instead if it is not running.
    public func reload(_ id: LoadBalancerID) async throws -> String {
        await acquire(); defer { release() }
        guard let process = running[id], process.isRunning else { return try await startLocked(id) }
        let paths = paths(id)
        guard FileManager.default.fileExists(atPath: paths.config) else { throw AgentError.loadBalancerNotFound }
        await saveServerState(paths)
        let master = UnixSocketClient(path: paths.masterSocket, timeout: .seconds(5))
        var lastError = "no answer from the master socket"
        for attempt in 1...3 {
            do {
                let before = try await processTable(master)
                _ = try? await master.send("reload")
                if try await confirmReload(master, after: before, process: process) {
                    logger.info("haproxy reloaded", metadata: ["lb": "\(id)", "attempt": "\(attempt)"])
                    announceVIPs(id)
                    return "Configuration file is valid\nhaproxy daemon for \(id) reloaded"
                }
                lastError = "HAProxy did not confirm the reload"
            } catch {
                lastError = "\(error)"
            }
            guard process.isRunning else { break }
        }
        throw AgentError(.internalServerError, "Error reloading haproxy", details: lastError)
    }

    /// Stops HAProxy if we run it: soft stop (SIGUSR1), then SIGTERM, then SIGKILL.
    public func stop(_ id: LoadBalancerID) async -> String {
        await acquire(); defer { release() }
        await stopLocked(id)
        return "haproxy daemon for \(id) stopped"
    }

    /// Stops HAProxy and removes every file of the load balancer. Unknown ids are fine.
    public func delete(_ id: LoadBalancerID) async {
        await acquire(); defer { release() }
        await stopLocked(id)
        let paths = paths(id)
        try? FileManager.default.removeItem(atPath: paths.statsSocket)
        try? FileManager.default.removeItem(atPath: paths.directory)
    }

    /// Stops every HAProxy we started (agent shutdown).
    public func stopAll() async {
        await acquire(); defer { release() }
        for id in Array(running.keys) { await stopLocked(id) }
    }

    // MARK: Internals

    private func startLocked(_ id: LoadBalancerID) async throws -> String {
        if let process = running[id], process.isRunning { return "haproxy daemon for \(id) already running" }
        let paths = paths(id)
        guard FileManager.default.fileExists(atPath: paths.config) else { throw AgentError.loadBalancerNotFound }
        try? FileManager.default.removeItem(atPath: paths.masterSocket)
        ResourceLimits.raiseOpenFilesToHardLimit()
        let arguments = [haproxyCommand, "-W", "-S", paths.masterSocket, "-L", peerName,
                         "-f", paths.config, "-p", paths.pidFile]
        let process: ChildProcess
        do {
            process = try ChildProcess(arguments, logFile: paths.log)
        } catch {
            throw AgentError(.internalServerError, "Error starting haproxy", details: "\(error)")
        }
        running[id] = process
        let master = UnixSocketClient(path: paths.masterSocket, timeout: .seconds(2))
        let deadline = ContinuousClock.now + timeouts.startup
        while ContinuousClock.now < deadline, process.isRunning {
            if let table = try? await processTable(master), !table.workerPIDs.isEmpty {
                logger.info("haproxy started", metadata: ["lb": "\(id)", "pid": "\(process.pid)"])
                announceVIPs(id)
                return "Configuration file is valid\nhaproxy daemon for \(id) started"
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        let log = (try? String(contentsOfFile: paths.log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
        if process.isRunning { await process.terminate(signals: [SIGTERM], grace: .seconds(2)) }
        running[id] = nil
        throw AgentError(.internalServerError, "Error starting haproxy", details: log)
    }

    private func stopLocked(_ id: LoadBalancerID) async {
        guard let process = running.removeValue(forKey: id) else { return }
        let gone = await process.terminate(signals: [SIGUSR1, SIGTERM], grace: timeouts.stopGrace)
        if !gone { logger.error("haproxy master did not exit", metadata: ["lb": "\(id)", "pid": "\(process.pid)"]) }
        let paths = paths(id)
        try? FileManager.default.removeItem(atPath: paths.masterSocket)
        try? FileManager.default.removeItem(atPath: paths.pidFile)
    }

    private func processTable(_ master: UnixSocketClient) async throws -> MasterProcessTable {
        let text = try await master.send("show proc")
        guard let table = MasterProcessTable(text) else {
            throw AgentError(.internalServerError, "Unexpected master CLI answer", details: text)
        }
        return table
    }

    /// A reload took when the master counts one more reload and serves a worker we had not seen.
    private func confirmReload(_ master: UnixSocketClient, after before: MasterProcessTable,
                               process: ChildProcess) async throws -> Bool {
        let deadline = ContinuousClock.now + timeouts.reload
        while ContinuousClock.now < deadline, process.isRunning {
            if let now = try? await processTable(master) {
                if now.failedReloads > before.failedReloads { return false }
                if now.reloads > before.reloads, now.workerPIDs.contains(where: { !before.workerPIDs.contains($0) }) {
                    return true
                }
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// Saves `show servers state` so the new worker keeps health and admin state (best effort).
    private func saveServerState(_ paths: HAProxyPaths) async {
        let stats = UnixSocketClient(path: paths.statsSocket, timeout: .seconds(5))
        guard let state = try? await stats.send("show servers state"), !state.isEmpty else { return }
        try? Data(state.utf8).write(to: URL(fileURLWithPath: paths.serversState))
    }

    /// SINGLE topology: tell neighbours the VIPs' MAC (a re-created amphora is otherwise unreachable
    /// until their ARP entries expire). Runs in the background; missing arping is not an error.
    private func announceVIPs(_ id: LoadBalancerID) {
        guard topology == .single, let text = config(for: id) else { return }
        let addresses = Self.bindAddresses(in: text)
        guard !addresses.isEmpty, let arping = try? SystemRunner.resolve("arping") else { return }
        let runner = runner, logger = logger
        Task.detached {
            guard let table = try? await runner.run(["ip", "-o", "-4", "addr", "show"]) else { return }
            for address in addresses {
                guard let interface = Self.interface(holding: address, in: table.output) else { continue }
                let result = try? await runner.run([arping, "-U", "-c", "1", "-I", interface, "-s", address, address])
                logger.debug("gratuitous ARP", metadata: ["vip": "\(address)", "status": "\(result?.status ?? -1)"])
            }
        }
    }

    /// IPv4 addresses of `bind` lines, e.g. `bind 203.0.113.5:80 ssl crt ...`.
    static func bindAddresses(in config: String) -> [String] {
        var result: [String] = []
        for line in config.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "bind" else { continue }
            let host = String(fields[1].split(separator: ":").first ?? "")
            if IPAddress(host)?.isIPv4 == true, host != "0.0.0.0", !result.contains(host) { result.append(host) }
        }
        return result
    }

    /// Finds the interface of `address` in `ip -o addr show` output.
    static func interface(holding address: String, in output: String) -> String? {
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, fields[2] == "inet" || fields[2] == "inet6" else { continue }
            if fields[3].split(separator: "/").first.map(String.init) == address { return String(fields[1]) }
        }
        return nil
    }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
