import Foundation

/// Traffic counters of one listener as reported by one amphora (Octavia's `listener_statistics`).
/// Written by the health manager from heartbeats; the API sums them (heartbeat.md "Stats update").
public struct ListenerStatistics: Codable, Sendable, Equatable {
    /// `<listener_id>/<amphora_id>`: one row per pair, as Octavia's composite key.
    public var id: String
    public var listenerID: Listener.ID
    /// An amphora id, or the listener id for rows a provider driver reports.
    public var amphoraID: String
    public var bytesIn: Int
    public var bytesOut: Int
    public var activeConnections: Int
    public var totalConnections: Int
    public var requestErrors: Int

    public init(listenerID: Listener.ID, amphoraID: String, bytesIn: Int = 0, bytesOut: Int = 0,
                activeConnections: Int = 0, totalConnections: Int = 0, requestErrors: Int = 0) {
        self.id = Self.rowID(listener: listenerID, amphora: amphoraID)
        self.listenerID = listenerID; self.amphoraID = amphoraID; self.bytesIn = bytesIn; self.bytesOut = bytesOut
        self.activeConnections = activeConnections; self.totalConnections = totalConnections
        self.requestErrors = requestErrors
    }

    public static func rowID(listener: Listener.ID, amphora: String) -> String { "\(listener.rawValue)/\(amphora)" }

    enum CodingKeys: String, CodingKey {
        case id
        case listenerID = "listener_id", amphoraID = "amphora_id", bytesIn = "bytes_in", bytesOut = "bytes_out"
        case activeConnections = "active_connections", totalConnections = "total_connections"
        case requestErrors = "request_errors"
    }
}

extension ListenerStatistics: StoredObject {
    public static let table = "listener_statistics"
    public var storageID: String { id }
}
