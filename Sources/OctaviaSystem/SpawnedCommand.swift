import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command started with `posix_spawn` whose exit we detect with `waitpid` ourselves.
///
/// Foundation's `Process` learns about the exit through a descriptor the child inherits, so a
/// detached grandchild (e.g. an agent started with `setsid ... &`) that keeps it open hides the
/// exit until the grandchild ends. Here every descriptor we create is close-on-exec and only
/// stdin/stdout/stderr are passed on, so nothing but the output pipes can be inherited, and those
/// are read by ``PipeStreams`` with a deadline.
struct SpawnedCommand {
    let pid: pid_t
    /// Read ends of the child's stdout and stderr; owned (closed) by ``closeOutput()``.
    let output: Int32
    let error: Int32

    /// Spawns `path` with `arguments` (`arguments[0]` is argv[0]); stdin comes from `stdin` or /dev/null.
    init(path: String, arguments: [String], stdin: Int32?) throws {
        let out = try Self.makePipe()
        let err: (read: Int32, write: Int32)
        do { err = try Self.makePipe() } catch {
            close(out.read); close(out.write)
            throw error
        }
        defer { close(out.write); close(err.write) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)

        // Default dispositions and an empty mask, whatever this process ignores or blocks.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard status == 0 else {
            close(out.read); close(err.read)
            throw CommandError(command: arguments,
                               result: CommandResult(status: 127, output: "", error: "\(path): \(String(cString: strerror(status)))"))
        }
        self.pid = pid
        self.output = out.read
        self.error = err.read
    }

    /// Reaps the child if it has exited: its exit code, or the signal number that ended it (as
    /// Foundation's `terminationStatus` reports). Nil while it runs. Call until non-nil, once after.
    func exitStatus() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }

    /// Reaps the child in the background once it finally exits (after a SIGKILL it did not yet obey).
    func reapLater() {
        let pid = pid
        DispatchQueue.global().async {
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    func closeOutput() {
        close(output)
        close(error)
    }

    /// A pipe whose ends are not inherited by other children (Glibc's module has no `pipe2`, so
    /// there is a short window in which a concurrent spawn could inherit them; the deadline-bound
    /// reading copes with that).
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }
}
