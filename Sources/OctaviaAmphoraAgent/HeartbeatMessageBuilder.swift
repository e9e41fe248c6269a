import Foundation
import OctaviaAmphoraWire

/// Builds the version-3 heartbeat from `show stat` rows as Octavia's health daemon does
/// (`build_stats_message`): listeners from FRONTEND rows with counter deltas, pools keyed
/// `<pool>:<listener>` from BACKEND rows, members from server rows (`UP` at weight 0 is `DRAIN`).
/// The previous absolute counters live in `stats_counters.json` so deltas survive an agent restart.
public struct HeartbeatMessageBuilder: Sendable {
    /// Absolute counters of one listener at the previous heartbeat.
    public struct Counters: Codable, Sendable, Equatable {
        public var bin: Int64
        public var bout: Int64
        public var ereq: Int64
        public var stot: Int64
        public init(bin: Int64, bout: Int64, ereq: Int64, stot: Int64) {
            self.bin = bin; self.bout = bout; self.ereq = ereq; self.stot = stot
        }
    }

    public let amphoraID: String
    /// `<base_path>/stats_counters.json`.
    public let countersFile: String

    public init(amphoraID: String, basePath: String) {
        self.amphoraID = amphoraID
        countersFile = basePath + "/stats_counters.json"
    }

    /// The message for `rows` (all load balancers' stats concatenated), updating the counters file.
    public func build(rows: [HAProxyStatRow], sequence: Int64) -> HeartbeatMessage {
        var previous = loadCounters()
        var message = Self.message(amphoraID: amphoraID, rows: rows, sequence: sequence, previous: &previous)
        saveCounters(previous)
        message.receivedTime = nil
        return message
    }

    /// Pure part of ``build(rows:sequence:)``: `previous` goes in with the last counters and comes out
    /// with the current ones (listeners no longer reported are forgotten).
    public static func message(amphoraID: String, rows: [HAProxyStatRow], sequence: Int64,
                               previous: inout [String: Counters]) -> HeartbeatMessage {
        var listeners: [String: HeartbeatMessage.Listener] = [:]
        var pools: [String: HeartbeatMessage.Pool] = [:]
        var current: [String: Counters] = [:]
        for row in rows where !row.proxyName.contains("prometheus") {
            switch row.serviceName {
            case "FRONTEND":
                let now = Counters(bin: row.integer("bin"), bout: row.integer("bout"), ereq: row.integer("ereq"),
                                   stot: row.integer("stot"))
                let before = previous[row.proxyName]
                func delta(_ path: KeyPath<Counters, Int64>) -> Int64 {
                    guard let before else { return now[keyPath: path] }
                    let d = now[keyPath: path] - before[keyPath: path]
                    return d < 0 ? now[keyPath: path] : d // HAProxy restarted: counting starts again
                }
                current[row.proxyName] = now
                listeners[row.proxyName] = HeartbeatMessage.Listener(
                    status: HeartbeatListenerStatus(rawValue: row["status"]),
                    stats: .init(tx: delta(\.bout), rx: delta(\.bin), conns: row.integer("scur"),
                                 totconns: delta(\.stot), ereq: delta(\.ereq)))
            case "BACKEND":
                pools[row.proxyName, default: .init(status: .down)].status = HeartbeatPoolStatus(rawValue: row["status"])
            default:
                var status = row["status"]
                if status == "UP", row["weight"] == "0" { status = HeartbeatMemberStatus.drain.rawValue }
                pools[row.proxyName, default: .init(status: .down)].members[row.serviceName] = HeartbeatMemberStatus(rawValue: status)
            }
        }
        previous = current
        return HeartbeatMessage(amphoraID: amphoraID, sequence: sequence, version: HeartbeatMessage.currentVersion,
                                listeners: listeners, pools: pools)
    }

    func loadCounters() -> [String: Counters] {
        guard let data = FileManager.default.contents(atPath: countersFile),
              let counters = try? JSONDecoder().decode([String: Counters].self, from: data) else { return [:] }
        return counters
    }

    func saveCounters(_ counters: [String: Counters]) {
        guard let data = try? JSONEncoder().encode(counters) else { return }
        let temporary = countersFile + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        _ = rename(temporary, countersFile)
    }
}
