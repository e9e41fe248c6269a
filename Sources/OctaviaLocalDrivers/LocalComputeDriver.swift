import Foundation
import Logging
import OctaviaCore
import OctaviaSystem

/// Amphorae as network namespaces on this machine.
///
/// Each amphora is a namespace `<prefix><amphora_id>` running the amphora agent, started detached (`setsid`)
/// so that, like a VM, it outlives a controller restart. The agent gets a private mount namespace in which
/// `<state_path>/<amphora_id>/octavia` is bind-mounted on `/var/lib/octavia`, so every amphora has its own
/// copy of Octavia's standard paths, as a VM has its own disk.
public final class LocalComputeDriver: ComputeDriver {
    let statePath: String
    let agentCommand: String
    let namespacePrefix: String
    let bootTimeout: Duration
    let heartbeat: LocalAmphoraHeartbeat?
    let ip: IPCommands
    let logger: Logger

    /// The mount point the agent's private `/var/lib/octavia` is bound onto.
    static let amphoraDataPath = "/var/lib/octavia"

    /// - Parameters:
    ///   - statePath: directory holding one sub-directory per amphora.
    ///   - agentCommand: the agent executable (path or name in PATH), optionally followed by arguments;
    ///     `--config-file <file>` is appended.
    ///   - namespacePrefix: prefix of every amphora namespace; also how ``listNamespaces()`` finds ours.
    ///   - bootTimeout: how long ``build(_:)`` waits for the agent to write its pid file or socket.
    ///   - heartbeat: where and how the agent sends heartbeats; nil = no heartbeats.
    public init(statePath: String, agentCommand: String, namespacePrefix: String, bootTimeout: Duration,
                heartbeat: LocalAmphoraHeartbeat? = nil, runner: SystemRunner = .init(), logger: Logger) {
        self.statePath = statePath
        self.agentCommand = agentCommand
        self.namespacePrefix = namespacePrefix
        self.bootTimeout = bootTimeout
        self.heartbeat = heartbeat
        self.ip = IPCommands(runner: runner)
        self.logger = logger
    }

    public func build(_ request: AmphoraBuildRequest) async throws -> ComputeInstance {
        let namespace = namespacePrefix + request.amphoraID.rawValue
        let directory = AmphoraDirectory(path: statePath + "/" + request.amphoraID.rawValue)
        let instance = ComputeInstance(computeID: namespace, agentEndpoint: "unix:" + directory.socket)
        var logger = logger
        logger[metadataKey: "amphora"] = "\(request.amphoraID)"

        let executables = try resolveExecutables()
        if try await status(computeID: namespace) == .active {
            logger.info("local amphora already running")
            return instance
        }
        // Leftovers of an earlier failed build would confuse the boot wait (stale pid file).
        try await delete(computeID: namespace)
        do {
            try directory.create(for: request, heartbeat: heartbeat)
            try FileManager.default.createDirectory(atPath: Self.amphoraDataPath, withIntermediateDirectories: true)
            try await ip.addNamespace(namespace)
            try await startAgent(namespace: namespace, directory: directory, executables: executables)
            try await waitForAgent(namespace: namespace, directory: directory)
        } catch {
            logger.error("local amphora build failed, cleaning up", metadata: ["error": "\(error)"])
            try? await delete(computeID: namespace)
            throw error
        }
        logger.info("local amphora started", metadata: ["namespace": "\(namespace)"])
        return instance
    }

    /// Absolute paths of the agent and the tools that start it; fails before anything is created.
    struct Executables {
        var agent: [String]
        var setsid: String
        var ip: String
        var unshare: String
        var mount: String
        var bash: String
    }

    func resolveExecutables() throws -> Executables {
        let words = agentCommand.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { throw LocalDriverError("amphora agent command is empty") }
        guard let agent = try? SystemRunner.resolve(first), FileManager.default.isExecutableFile(atPath: agent) else {
            throw LocalDriverError("amphora agent '\(first)' not found or not executable")
        }
        func tool(_ name: String) throws -> String {
            guard let path = try? SystemRunner.resolve(name) else {
                throw LocalDriverError("'\(name)' is needed to start local amphorae but is not installed")
            }
            return path
        }
        return Executables(agent: [agent] + words.dropFirst(), setsid: try tool("setsid"), ip: try tool("ip"),
                           unshare: try tool("unshare"), mount: try tool("mount"), bash: try tool("bash"))
    }

    /// `setsid -f` forks the agent into its own session: it is re-parented to PID 1 and keeps running when
    /// the controller exits. Every descriptor above 2 is closed first: the agent must not inherit the
    /// controller's sockets, and Foundation's `Process` waits for EOF on a socket its child inherits, so a
    /// detached holder of that socket would make the launch never return.
    func startAgent(namespace: String, directory: AmphoraDirectory, executables: Executables) async throws {
        let data = Self.amphoraDataPath
        let inner = "mkdir -p \(data) && \(executables.mount.shellQuoted) --bind \(directory.dataDirectory.shellQuoted) \(data)"
            + " && exec \(executables.agent.map(\.shellQuoted).joined(separator: " "))"
            + " --config-file \(directory.configFile.shellQuoted)"
        let closeInherited = "for fd in /proc/self/fd/*; do fd=${fd##*/}; [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done 2>/dev/null; "
        let outer = closeInherited + "exec " + [executables.setsid, "-f", executables.ip, "netns", "exec", namespace, executables.unshare,
                     "--mount", "--propagation", "private", "sh", "-c", inner].map(\.shellQuoted).joined(separator: " ")
            + " >> \(directory.logFile.shellQuoted) 2>&1 < /dev/null"
        try await ip.runner.check([executables.bash, "-c", outer])
    }

    /// Waits until the agent wrote a live pid or created its socket; fails early when it died.
    func waitForAgent(namespace: String, directory: AmphoraDirectory) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < bootTimeout {
            if let pid = ProcessTable.readPIDFile(directory.pidFile), ProcessTable.isRunning(pid) { return }
            if FileManager.default.fileExists(atPath: directory.socket) { return }
            // Give `setsid -f` time to fork and enter the namespace before concluding the agent is gone.
            if ContinuousClock.now - start > .seconds(1),
               try await ip.pids(in: namespace).filter(ProcessTable.isRunning).isEmpty {
                throw LocalDriverError("amphora agent exited while booting:\n\(directory.logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LocalDriverError("amphora agent did not start within \(bootTimeout):\n\(directory.logTail())")
    }
}

extension String {
    /// Single-quoted for `sh`, safe for any content.
    var shellQuoted: String { "'" + replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
