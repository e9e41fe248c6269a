import Foundation
import Logging
import NIOCore
import NIOPosix
import OctaviaCore
import ServiceLifecycle

/// The driver agent (`octavia-driver-agent`): octavia-lib's three Unix stream sockets through
/// which out-of-process provider drivers report status and statistics and read objects. One
/// framed JSON request per connection, one framed JSON answer, then the connection closes.
public struct DriverAgent: Service {
    /// Where the sockets live and how long and how many requests each may take.
    public struct Settings: Sendable {
        public var statusSocketPath: String
        public var statsSocketPath: String
        public var getSocketPath: String
        /// Time a client has to send its whole request.
        public var requestTimeout: Duration
        /// Requests handled at once per socket; further connections wait to be accepted.
        public var maxConcurrentRequests: Int

        public init(statusSocketPath: String, statsSocketPath: String, getSocketPath: String,
                    requestTimeout: Duration = .seconds(5), maxConcurrentRequests: Int = 50) {
            self.statusSocketPath = statusSocketPath; self.statsSocketPath = statsSocketPath
            self.getSocketPath = getSocketPath; self.requestTimeout = requestTimeout
            self.maxConcurrentRequests = maxConcurrentRequests
        }
    }

    /// Which of the three protocols a socket speaks.
    enum Endpoint: String, Sendable, CaseIterable {
        case status, stats, get
    }

    let store: any Store
    let settings: Settings
    let logger: Logger

    public init(store: any Store, settings: Settings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for endpoint in Endpoint.allCases {
                group.addTask { try await serve(endpoint, path: path(of: endpoint)) }
            }
            try await group.waitForAll()
        }
    }

    func path(of endpoint: Endpoint) -> String {
        switch endpoint {
        case .status: settings.statusSocketPath
        case .stats: settings.statsSocketPath
        case .get: settings.getSocketPath
        }
    }

    /// Accepts connections on one socket until graceful shutdown, then removes the socket file.
    func serve(_ endpoint: Endpoint, path: String) async throws {
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        logger.info("driver agent socket listening", metadata: ["endpoint": "\(endpoint.rawValue)", "path": "\(path)"])
        defer { unlink(path) }
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                try await server.executeThenClose { connections in
                    var running = 0
                    for try await connection in connections {
                        // Back-pressure: past the limit, wait for one request to finish before accepting more.
                        if running >= settings.maxConcurrentRequests {
                            _ = try await group.next()
                            running -= 1
                        }
                        running += 1
                        group.addTask { await handle(connection, endpoint: endpoint) }
                    }
                }
            }
        }
    }

    /// Reads one framed request (within the timeout), answers it and closes the connection.
    func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, endpoint: Endpoint) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                let request = try await withTimeout(settings.requestTimeout) {
                    var frame = DriverAgentFrame()
                    for try await chunk in inbound {
                        if let payload = try frame.append(chunk.readableBytesView) { return payload }
                    }
                    throw DriverAgentFrame.Failure.badLength
                }
                let reply = await respond(to: request, endpoint: endpoint)
                try await outbound.write(ByteBuffer(bytes: DriverAgentFrame.encode(reply)))
            }
        } catch {
            logger.warning("driver agent request failed", metadata: ["endpoint": "\(endpoint.rawValue)", "error": "\(error)"])
        }
    }

    /// The JSON answer to one request payload.
    func respond(to payload: Data, endpoint: Endpoint) async -> Data {
        let reply: [String: Any]
        if let message = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] {
            switch endpoint {
            case .status:
                reply = await DriverStatusUpdater(store: store, logger: logger).update(message)
            case .stats:
                reply = await DriverStatsUpdater(store: store).update(message)
            case .get:
                do {
                    reply = try await DriverGetter(store: store).get(message)
                } catch {
                    logger.error("driver agent get failed", metadata: ["error": "\(error)"])
                    reply = [:]
                }
            }
        } else {
            reply = endpoint == .get ? [:] : DriverReply.failed("request is not a JSON object")
        }
        return (try? JSONSerialization.data(withJSONObject: reply)) ?? Data("{}".utf8)
    }
}

struct RequestTimeout: Error, CustomStringConvertible {
    var description: String { "the request did not arrive in time" }
}

/// Runs `body`, or throws ``RequestTimeout`` once `timeout` has passed.
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw RequestTimeout()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw RequestTimeout() }
        return first
    }
}
