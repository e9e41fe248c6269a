import Foundation
import OctaviaConfig

/// Where the heartbeat sender sends: a UDP `ip:port` (`[v6]:port`) or, for local amphorae, a
/// `unix:<path>` datagram socket of the health manager.
public enum HeartbeatDestination: Sendable, Equatable, CustomStringConvertible {
    case udp(host: String, port: Int)
    case unix(path: String)

    /// Parses one `controller_ip_port_list` entry; nil when malformed.
    public init?(_ text: String) {
        let entry = text.trimmingCharacters(in: .whitespaces)
        if entry.hasPrefix("unix:") {
            let path = String(entry.dropFirst(5))
            guard path.hasPrefix("/") else { return nil }
            self = .unix(path: path)
            return
        }
        guard let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = String(entry[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self = .udp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .udp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// `[health_manager]` of the agent's configuration: what the sender needs (Octavia pushes the same
/// three options into every amphora).
public struct HeartbeatSenderSettings: Sendable, Equatable {
    public var key: String
    public var interval: Duration
    public var destinations: [HeartbeatDestination]

    public init(key: String, interval: Duration, destinations: [HeartbeatDestination]) {
        self.key = key; self.interval = interval; self.destinations = destinations
    }

    /// Reads the section from the agent's configuration file; nil when heartbeats are not configured
    /// (no key or no destination), so an amphora without a health manager just does not report.
    public static func load(configFile path: String) throws -> HeartbeatSenderSettings? {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AgentSettingsError(path: path, section: nil, option: nil, reason: "cannot read file: \(error)")
        }
        return try parse(INIFile.parse(text, path: path))
    }

    static func parse(_ ini: INIFile) throws -> HeartbeatSenderSettings? {
        guard let section = ini.section("health_manager") else { return nil }
        func fail(_ option: String, _ reason: String) -> AgentSettingsError {
            AgentSettingsError(path: ini.path, section: "health_manager", option: option, reason: reason)
        }
        var interval = 10
        if let raw = section.value("heartbeat_interval"), !raw.isEmpty {
            guard let value = Int(raw), value >= 1 else { throw fail("heartbeat_interval", "'\(raw)' is not a positive integer") }
            interval = value
        }
        var destinations: [HeartbeatDestination] = []
        for item in (section.value("controller_ip_port_list") ?? "").split(separator: ",") {
            guard let destination = HeartbeatDestination(String(item)) else {
                throw fail("controller_ip_port_list", "'\(item)' is not ip:port or unix:/path")
            }
            destinations.append(destination)
        }
        guard let key = section.value("heartbeat_key"), !key.isEmpty, !destinations.isEmpty else { return nil }
        return HeartbeatSenderSettings(key: key, interval: .seconds(interval), destinations: destinations)
    }
}
