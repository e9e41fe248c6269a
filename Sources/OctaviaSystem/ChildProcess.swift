import Foundation

/// A long-running child process that this process started and therefore owns: only its own PID is
/// ever signalled, it is reaped by Foundation when it exits, and a zombie counts as exited.
/// (HAProxy daemonised with `-D` would be reparented to PID 1, which reaps late; keeping it as our
/// child avoids that.)
public final class ChildProcess: Sendable {
    public let pid: Int32
    public let arguments: [String]
    private let process: ProcessBox
    private let exit: ExitBox

    /// Starts `arguments[0]` with stdout and stderr appended to `logFile` (or discarded).
    public init(_ arguments: [String], logFile: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try SystemRunner.resolve(arguments[0]))
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        if let logFile {
            if !FileManager.default.fileExists(atPath: logFile),
               !FileManager.default.createFile(atPath: logFile, contents: nil) {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: logFile])
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
            _ = try? handle.seekToEnd()
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        let exit = ExitBox()
        process.terminationHandler = { finished in exit.set(finished.terminationStatus) }
        try process.run()
        self.process = ProcessBox(process)
        self.pid = process.processIdentifier
        self.arguments = arguments
        self.exit = exit
    }

    /// Exit status once the process has been reaped.
    public var exitStatus: Int32? { exit.get() }

    /// False once the process exited, including while it is a not-yet-reaped zombie. Once Foundation
    /// has reaped it the PID is never looked at again (it may belong to someone else by then).
    public var isRunning: Bool {
        if exitStatus != nil { return false }
        return ProcessTable.isRunning(pid)
    }

    /// Sends `signal` unless the process has already exited (so a recycled PID is never hit).
    public func send(_ signal: Int32) {
        guard isRunning else { return }
        ProcessTable.signal(pid, signal)
    }

    /// Waits up to `timeout` for the process to exit; returns whether it did.
    public func waitForExit(timeout: Duration) async -> Bool {
        await ProcessTable.waitUntil(timeout: timeout) { !isRunning }
    }

    /// Asks politely with each signal in turn, waiting `grace` after each, then SIGKILL.
    /// Returns whether the process is gone.
    @discardableResult
    public func terminate(signals: [Int32] = [SIGTERM], grace: Duration = .seconds(5)) async -> Bool {
        for signal in signals {
            send(signal)
            if await waitForExit(timeout: grace) { return true }
        }
        send(SIGKILL)
        return await waitForExit(timeout: .seconds(5))
    }
}

/// `Process` is not Sendable; after `run()` we only keep it alive and never mutate it.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

/// The exit status, written once by Foundation's termination handler.
private final class ExitBox: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?
    func set(_ value: Int32) { lock.withLock { status = value } }
    func get() -> Int32? { lock.withLock { status } }
}
