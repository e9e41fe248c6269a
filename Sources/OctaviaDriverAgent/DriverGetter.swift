import Foundation
import OctaviaCore

/// The get socket (Octavia's `driver_get.process_get`): `{"object": "<collection>", "id": …}` →
/// the object as an octavia-lib provider dictionary, or `{}` when it is unknown or DELETED.
/// Nested children (an LB's listeners, a pool's members…) are not included: the provider model
/// leaves them unset, and the driver can get each child by id.
struct DriverGetter: Sendable {
    let store: any Store

    func get(_ message: [String: Any]) async throws -> [String: Any] {
        guard let name = message["object"] as? String, let kind = DriverObjectKind(rawValue: name),
              let id = message["id"] as? String
        else { return [:] }
        return try await Self.fetch(kind.rowType, id: id, kind: kind, reader: store.reader) ?? [:]
    }

    static func fetch<T: StoredObject>(_ type: T.Type, id: String, kind: DriverObjectKind,
                                       reader: any StoreReading) async throws -> [String: Any]? {
        guard let row = try await reader.fetch(type, id: id) else { return nil }
        return try providerDictionary(row, kind: kind)
    }

    /// The row's columns under the provider model's names; status, timestamp and tag columns and
    /// anything else the model lacks are dropped, JSON-list columns become lists.
    static func providerDictionary(_ row: some Encodable, kind: DriverObjectKind) throws -> [String: Any]? {
        guard var columns = try JSONSerialization.jsonObject(with: JSONEncoder().encode(row)) as? [String: Any] else {
            return nil
        }
        if columns["provisioning_status"] as? String == ProvisioningStatus.deleted.rawValue { return nil }
        columns[kind.idKey] = columns.removeValue(forKey: "id")
        if let lb = columns.removeValue(forKey: "load_balancer_id") { columns["loadbalancer_id"] = lb }
        var result: [String: Any] = [:]
        for (key, value) in columns where kind.providerFields.contains(key) {
            result[key] = decodedJSONColumn(value)
        }
        return result
    }

    /// List and map columns are stored as JSON text; the provider model wants the values.
    static func decodedJSONColumn(_ value: Any) -> Any {
        guard let text = value as? String, text.hasPrefix("[") || text.hasPrefix("{"),
              let decoded = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        else { return value }
        return decoded
    }
}
