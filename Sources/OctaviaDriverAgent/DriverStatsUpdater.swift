import Foundation
import OctaviaCore

/// The stats socket (Octavia's `DriverUpdater.update_listener_statistics`): a provider driver's
/// listener counters replace the stored ones. Such drivers have no amphorae, so the listener id
/// stands in for the amphora id of the `listener_statistics` row, as in Octavia.
struct DriverStatsUpdater: Sendable {
    let store: any Store

    func update(_ message: [String: Any]) async -> [String: Any] {
        guard let records = (message["listeners"] ?? [[String: Any]]()) as? [[String: Any]] else {
            return failed("'listeners' must be a list of objects", id: nil)
        }
        for record in records {
            guard let id = record["id"] as? String else { return failed("statistics record has no 'id'", id: nil) }
            guard let listener = Listener.ID(id) else { return failed("'\(id)' is not a listener id", id: id) }
            var row = ListenerStatistics(listenerID: listener, amphoraID: listener.rawValue)
            do {
                row.activeConnections = try counter(record, "active_connections")
                row.bytesIn = try counter(record, "bytes_in")
                row.bytesOut = try counter(record, "bytes_out")
                row.requestErrors = try counter(record, "request_errors")
                row.totalConnections = try counter(record, "total_connections")
                try await store.write { [row] tx in
                    if try await tx.fetch(ListenerStatistics.self, id: row.id) == nil {
                        try await tx.insert(row)
                    } else {
                        try await tx.update(row)
                    }
                }
            } catch {
                return failed("\(error)", id: id)
            }
        }
        return DriverReply.ok
    }

    struct BadCounter: Error, CustomStringConvertible {
        var key: String
        var description: String { "'\(key)' must be a non-negative integer" }
    }

    /// A counter; absent means 0, as Octavia's column default.
    func counter(_ record: [String: Any], _ key: String) throws -> Int {
        guard let value = record[key], !(value is NSNull) else { return 0 }
        guard let number = value as? Int, number >= 0 else { throw BadCounter(key: key) }
        return number
    }

    func failed(_ fault: String, id: String?) -> [String: Any] {
        var reply = DriverReply.failed(fault)
        reply["stats_object"] = "listeners"
        if let id { reply["stats_object_id"] = id }
        return reply
    }
}
