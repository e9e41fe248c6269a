import Foundation
import Hummingbird
import Logging
@testable import OctaviaAmphoraAgent
import OctaviaSystem
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers for the agent tests: prerequisites, temp dirs, ports, a raw HTTP client.
enum AgentTestSupport {
    static let haproxy = "/usr/sbin/haproxy"
    static var haproxyInstalled: Bool { FileManager.default.isExecutableFile(atPath: haproxy) }

    /// Trait of the tests that run the real HAProxy: without it they are skipped (reported as
    /// skipped, with the reason) outside CI; under CI they run, and ``requireHAProxy()`` fails them.
    static var needsHAProxy: ConditionTrait {
        .enabled(if: haproxyInstalled || TestEnvironment.isCI, "\(haproxy) not installed")
    }

    /// First line of a ``needsHAProxy`` test: fails it when HAProxy is missing (only reached under CI).
    static func requireHAProxy(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(haproxyInstalled, "\(haproxy) is required under CI=true", sourceLocation: sourceLocation)
    }

    /// Runs the real agent while `body` runs, then stops it by graceful shutdown (as SIGTERM stops
    /// the agent) and waits until it has stopped, which also stops every HAProxy its supervisor
    /// started and removes its pid file. Callers may delete the agent's directories afterwards.
    static func withAgent<T: Sendable>(
        _ settings: AgentSettings, supervisor: HAProxySupervisor, logger: Logger, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let app = try makeAgentApplication(settings: settings, supervisor: supervisor, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// A short temp dir (Unix socket paths must stay under 108 bytes).
    static func makeTempDirectory() throws -> String {
        var template = Array("/tmp/oa-XXXXXX".utf8CString)
        guard let pointer = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: pointer)
    }

    static var logger: Logger {
        var logger = Logger(label: "agent-test")
        logger.logLevel = .warning
        return logger
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A minimal HTTP/1.0 GET to 127.0.0.1: returns status and lower-cased headers.
    static func get(port: Int, path: String = "/") throws -> (status: Int, headers: [String: String], body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// PIDs of processes whose command line mentions `needle` (to prove nothing was left behind).
    static func processes(mentioning needle: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), ProcessTable.isRunning(pid),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let cmdline = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return cmdline.contains(needle) ? pid : nil
        }
    }

    /// An HTTP config with one frontend on `frontendPort` and one server on `backendPort`.
    static func haproxyConfig(base: String, id: LoadBalancerID, frontendPort: Int, backendPort: Int, version: String) -> String {
        """
        global
            maxconn 1000
            stats socket \(base)/\(id).sock mode 0600 level user
            server-state-file \(base)/\(id)/servers-state

        defaults
            mode http
            load-server-state-from-file global
            timeout connect 5s
            timeout client 10s
            timeout server 10s

        frontend fe
            bind 127.0.0.1:\(frontendPort)
            default_backend be

        backend be
            http-response set-header X-Config \(version)
            server s1 127.0.0.1:\(backendPort)

        """
    }
}

/// An in-process backend member: a Hummingbird server on 127.0.0.1 answering "member".
actor BackendServer {
    private var task: Task<Void, any Error>?

    /// Starts the server and returns its port.
    func start() async throws -> Int {
        let router = Router()
        router.get("/") { _, _ in "member" }
        let port = try AgentTestSupport.freePort()
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { _ in continuation.yield() }, logger: Logger(label: "backend", factory: { _ in SwiftLogNoOpLogHandler() }))
        task = Task { try await app.runService() }
        for await _ in stream { break }
        return port
    }

    func stop() { task?.cancel() }
}
