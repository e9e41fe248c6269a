import OctaviaConfig

/// The health manager's knobs, from `[health_manager]` plus the local-amphora heartbeat socket.
public struct HealthManagerConfiguration: Sendable {
    public var bindIP: String
    public var bindPort: Int
    /// A Unix datagram socket that also receives heartbeats: local amphorae live in their own network
    /// namespaces, which no UDP route leaves, but a pathname socket is reachable from any of them.
    public var unixSocketPath: String?
    public var heartbeatKey: String
    public var heartbeatInterval: Duration
    public var heartbeatTimeout: Duration
    public var healthCheckInterval: Duration
    /// The sweeper starts this long after startup, so amphorae get a chance to report (Octavia waits heartbeat_timeout).
    public var sweepStartDelay: Duration
    public var failoverThreshold: Int?
    /// Failovers started per sweep.
    public var failoverThreads: Int
    /// The longest a received datagram waits before it is handed to the processor (normally it is
    /// handed over at the end of its read burst).
    public var flushInterval: Duration
    /// Most datagrams one decode step or one database transaction takes.
    public var maxBatch: Int
    /// After a small batch (under 64 heartbeats) the database stage waits this long before taking
    /// the next, so a light load still writes several heartbeats per transaction: a transaction
    /// costs about as much as the rows of dozens of heartbeats.
    public var gatherWindow: Duration

    public init(bindIP: String = "127.0.0.1", bindPort: Int = 5555, unixSocketPath: String? = nil, heartbeatKey: String,
                heartbeatInterval: Duration = .seconds(10), heartbeatTimeout: Duration = .seconds(60),
                healthCheckInterval: Duration = .seconds(3), sweepStartDelay: Duration? = nil, failoverThreshold: Int? = nil,
                failoverThreads: Int = 10, flushInterval: Duration = .milliseconds(100), maxBatch: Int = 2000,
                gatherWindow: Duration = .milliseconds(5)) {
        self.bindIP = bindIP; self.bindPort = bindPort; self.unixSocketPath = unixSocketPath
        self.heartbeatKey = heartbeatKey; self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout; self.healthCheckInterval = healthCheckInterval
        self.sweepStartDelay = sweepStartDelay ?? heartbeatTimeout
        self.failoverThreshold = failoverThreshold; self.failoverThreads = failoverThreads
        self.flushInterval = flushInterval; self.maxBatch = maxBatch; self.gatherWindow = gatherWindow
    }

    /// From `[health_manager]`; `heartbeat_key` must be set.
    public init(settings: HealthManagerSettings, unixSocketPath: String?) throws(HealthManagerError) {
        guard let key = settings.heartbeatKey, !key.isEmpty else {
            throw HealthManagerError("[health_manager] heartbeat_key must be set to run the health manager")
        }
        self.init(bindIP: settings.bindIP, bindPort: settings.bindPort, unixSocketPath: unixSocketPath, heartbeatKey: key,
                  heartbeatInterval: .seconds(settings.heartbeatInterval), heartbeatTimeout: .seconds(settings.heartbeatTimeout),
                  healthCheckInterval: .seconds(settings.healthCheckInterval), failoverThreshold: settings.failoverThreshold,
                  failoverThreads: settings.failoverThreads)
    }
}

extension HealthManagerConfiguration: CustomStringConvertible {
    /// Without the key: service descriptions end up in debug logs.
    public var description: String {
        "HealthManagerConfiguration(bind: \(bindIP):\(bindPort), unixSocket: \(unixSocketPath ?? "none"), "
            + "interval: \(heartbeatInterval), timeout: \(heartbeatTimeout), check: \(healthCheckInterval), "
            + "threshold: \(failoverThreshold.map(String.init) ?? "none"), heartbeatKey: <redacted>)"
    }
}

/// A health-manager start-up problem.
public struct HealthManagerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
