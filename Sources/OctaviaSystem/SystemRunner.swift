import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of a finished command.
public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var error: String
    public var succeeded: Bool { status == 0 }

    public init(status: Int32, output: String, error: String) {
        self.status = status; self.output = output; self.error = error
    }
}

/// A command that failed: a non-zero exit (from ``SystemRunner/check(_:input:timeout:)``), or one
/// that ran past its timeout and was killed (from `run` and `check`).
public struct CommandError: Error, Sendable, CustomStringConvertible {
    public var command: [String]
    public var result: CommandResult
    /// Set when the command was SIGKILLed because it ran longer than this.
    public var timedOut: Duration?

    public init(command: [String], result: CommandResult, timedOut: Duration? = nil) {
        self.command = command; self.result = result; self.timedOut = timedOut
    }

    public var description: String {
        let text = command.joined(separator: " ")
        let detail = result.error.isEmpty ? result.output : result.error
        if let timedOut {
            return "command '\(text)' timed out after \(timedOut) and was killed\(detail.isEmpty ? "" : ": \(detail)")"
        }
        return "command '\(text)' exited \(result.status): \(detail)"
    }
}

/// Runs operating-system commands (`ip`, `haproxy`...). One place so every caller gets the same
/// error reporting and the same timeout, and so tests can see exactly what ran.
public struct SystemRunner: Sendable {
    public init() {}

    /// How long output is still read after the command exited while its pipes stay open (a
    /// detached grandchild that inherited stdout would otherwise keep us waiting for EOF forever).
    /// Everything the command itself wrote is already in the pipe by then.
    static let drainAfterExit: Duration = .milliseconds(100)

    /// Runs `arguments[0]` (looked up in PATH when not absolute) and waits for it.
    /// - Throws: ``CommandError`` with ``CommandError/timedOut`` set when the command is still
    ///   running after `timeout` (it is SIGKILLed first).
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60))
        async throws -> CommandResult
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try Self.runSync(arguments, input: input, timeout: timeout))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Like ``run(_:input:timeout:)`` but also throws ``CommandError`` on a non-zero exit.
    @discardableResult
    public func check(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60))
        async throws -> CommandResult
    {
        let result = try await run(arguments, input: input, timeout: timeout)
        guard result.succeeded else { throw CommandError(command: arguments, result: result) }
        return result
    }

    static func runSync(_ arguments: [String], input: String?, timeout: Duration) throws -> CommandResult {
        guard let name = arguments.first else {
            throw CommandError(command: [], result: CommandResult(status: 127, output: "", error: "no command given"))
        }
        let path = try resolve(name)
        let stdin = try input.map(inputFile)
        defer { if let stdin { close(stdin) } }
        let child = try SpawnedCommand(path: path, arguments: arguments, stdin: stdin)
        defer { child.closeOutput() }

        var streams = PipeStreams([child.output, child.error])
        let deadline = ContinuousClock.now + timeout
        var killedAt: ContinuousClock.Instant?
        var status: Int32?
        // Since when nothing new was read after the exit.
        var quietSince = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if status == nil, let exit = child.exitStatus() {
                status = exit
                quietSince = now
            }
            if status != nil {
                if streams.allClosed || now >= quietSince + drainAfterExit || now >= deadline + drainAfterExit { break }
            } else if let killedAt {
                // SIGKILL cannot end a process stuck in the kernel; do not wait for it here.
                if now >= killedAt + .seconds(5) {
                    child.reapLater()
                    break
                }
            } else if now >= deadline {
                kill(child.pid, SIGKILL)
                killedAt = now
            }
            if streams.readAvailable(waitingUpTo: .milliseconds(20)), status != nil { quietSince = ContinuousClock.now }
        }
        let result = CommandResult(status: status ?? -1,
                                   output: String(decoding: streams.data[0], as: UTF8.self),
                                   error: String(decoding: streams.data[1], as: UTF8.self))
        if killedAt != nil { throw CommandError(command: arguments, result: result, timedOut: timeout) }
        return result
    }

    /// `input` in an unlinked temp file, given to the child as stdin: no pipe the child may never
    /// read (a full pipe would block us, a closed one would SIGPIPE us).
    static func inputFile(_ input: String) throws -> Int32 {
        var template = Array("/tmp/octavia-stdin-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        unlink(String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let bytes = Array(input.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                close(fd)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += n
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    /// Finds an executable in PATH (plus the sbin directories, which root's PATH may lack).
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        throw CommandError(command: [name], result: CommandResult(status: 127, output: "", error: "\(name): not found in PATH"))
    }
}
