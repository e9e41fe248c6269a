import OctaviaCore

/// Operator knobs for the rendered haproxy.cfg (Octavia's `[haproxy_amphora]` section plus the
/// amphora-side paths our agent uses).
public struct HAProxyRenderSettings: Sendable, Equatable {
    /// Amphora-side directory: stats socket `<basePath>/<lb_id>.sock`, state file
    /// `<basePath>/<lb_id>/servers-state`, PING helper `<basePath>/ping-wrapper.sh`.
    public var basePath: String
    /// `[haproxy_amphora] default_connection_limit`: used when a listener's limit is unset (-1 or 0).
    public var defaultConnectionLimit: Int
    /// Cap for the global `maxconn`. Operators lower it where RLIMIT_NOFILE is small (HAProxy needs
    /// about two descriptors per connection); local amphorae use ~8000.
    public var maximumGlobalConnections: Int
    /// `[haproxy_amphora] haproxy_stick_size`: size of SOURCE_IP / APP_COOKIE stick tables.
    public var stickTableSize: String

    /// - Parameters:
    ///   - basePath: amphora-side directory for the socket and state file.
    ///   - defaultConnectionLimit: listener limit when the listener has none.
    ///   - maximumGlobalConnections: upper bound for the global `maxconn`.
    ///   - stickTableSize: stick-table size, HAProxy syntax (`10k`).
    public init(
        basePath: String = "/var/lib/octavia",
        defaultConnectionLimit: Int = 50000,
        maximumGlobalConnections: Int = 1_000_000,
        stickTableSize: String = "10k"
    ) {
        self.basePath = basePath
        self.defaultConnectionLimit = defaultConnectionLimit
        self.maximumGlobalConnections = maximumGlobalConnections
        self.stickTableSize = stickTableSize
    }

    /// Runtime API socket of the load balancer's HAProxy (the agent talks to it for stats and
    /// `show servers state`).
    public func statsSocketPath(for loadBalancer: LoadBalancer.ID) -> String {
        "\(basePath)/\(loadBalancer.rawValue).sock"
    }

    /// Directory holding per-load-balancer runtime files; the agent must create it.
    public func loadBalancerDirectory(for loadBalancer: LoadBalancer.ID) -> String {
        "\(basePath)/\(loadBalancer.rawValue)"
    }

    /// File the agent fills with `show servers state` before a reload, so health state survives it.
    public func serverStateFilePath(for loadBalancer: LoadBalancer.ID) -> String {
        "\(loadBalancerDirectory(for: loadBalancer))/servers-state"
    }

    /// External-check script used by PING health monitors; the agent installs it.
    public var pingWrapperPath: String { "\(basePath)/ping-wrapper.sh" }
}
