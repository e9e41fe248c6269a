import Foundation

/// The UDP port a ``HeartbeatListener`` bound (useful with port 0), handed from its `onBound`
/// callback to whoever sends to it: tests and the benchmark.
public final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?

    public init() {}

    public func set(_ value: Int) { lock.withLock { port = value } }

    /// The port, waiting up to five seconds for the listener to bind.
    public func wait() async throws -> Int {
        for _ in 0..<500 {
            if let port = lock.withLock({ port }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HealthManagerError("the heartbeat listener did not bind")
    }
}
