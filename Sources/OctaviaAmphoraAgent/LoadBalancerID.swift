import Foundation

/// A load balancer (or listener) id taken from a URL path. Only UUIDs are accepted, so the value is
/// safe to use as a file-name component (no `..`, no `/`).
public struct LoadBalancerID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ raw: String) {
        guard raw.count == 36, UUID(uuidString: raw) != nil else { return nil }
        rawValue = raw
    }

    public var description: String { rawValue }

    /// Parses a path parameter or answers 400.
    static func parse(_ raw: String?) throws -> LoadBalancerID {
        guard let raw, let id = LoadBalancerID(raw) else {
            throw AgentError.invalid("'\(raw ?? "")' is not a valid UUID")
        }
        return id
    }
}

/// The files HAProxy uses for one load balancer, laid out as in Octavia's agent.
public struct HAProxyPaths: Sendable {
    public var directory: String
    public var config: String { directory + "/haproxy.cfg" }
    public var newConfig: String { directory + "/haproxy.cfg.new" }
    public var failedConfig: String { directory + "/haproxy.cfg-failed" }
    public var masterSocket: String { directory + "/master.sock" }
    public var pidFile: String
    public var serversState: String { directory + "/servers-state" }
    public var log: String { directory + "/haproxy.log" }
    /// The stats socket the config's `stats socket` line must name: `<base>/<lb_id>.sock`.
    public var statsSocket: String

    public init(basePath: String, id: LoadBalancerID) {
        directory = basePath + "/" + id.rawValue
        pidFile = directory + "/" + id.rawValue + ".pid"
        statsSocket = basePath + "/" + id.rawValue + ".sock"
    }
}
