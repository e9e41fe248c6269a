#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A failure talking to a Unix stream socket, with the step that failed and `errno`.
public struct UnixSocketError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public var description: String { "\(operation) on unix socket \(path) failed: \(String(cString: strerror(code))) (\(code))" }
}

/// A one-shot client for line-oriented admin sockets such as HAProxy's master and stats CLIs:
/// connect, send one command, half-close, read until the peer closes. HAProxy's master CLI only
/// closes after it sees our end-of-file, so the half-close matters.
public struct UnixSocketClient: Sendable {
    public var path: String
    /// Bound for each connect/read/write step and for the whole exchange.
    public var timeout: Duration

    public init(path: String, timeout: Duration = .seconds(5)) {
        self.path = path
        self.timeout = timeout
    }

    /// Sends `command` (a newline is appended) and returns everything the peer wrote.
    public func send(_ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do { continuation.resume(returning: try self.sendBlocking(command)) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    /// Blocking variant of ``send(_:)``; do not call on an event loop.
    public func sendBlocking(_ command: String) throws -> String {
        let fd = try connectSocket()
        defer { close(fd) }
        var payload = Array(command.utf8)
        payload.append(UInt8(ascii: "\n"))
        var written = 0
        while written < payload.count {
            let n = payload[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw UnixSocketError(path: path, operation: "write", code: errno)
            }
            written += n
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + timeout
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw UnixSocketError(path: path, operation: "read", code: errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno)
            }
            output.append(contentsOf: buffer[0..<n])
            if ContinuousClock.now > deadline { throw UnixSocketError(path: path, operation: "read", code: ETIMEDOUT) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func connectSocket() throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw UnixSocketError(path: path, operation: "connect", code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard fd >= 0 else { throw UnixSocketError(path: path, operation: "socket", code: errno) }
        var tv = timeval(timeout)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw UnixSocketError(path: path, operation: "connect", code: code)
        }
        return fd
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: .init(seconds), tv_usec: .init(attoseconds / 1_000_000_000_000))
    }
}
