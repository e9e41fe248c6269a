import Foundation
import Logging
import OctaviaCore

/// The status socket (Octavia's `DriverUpdater.update_loadbalancer_status`): a provider driver
/// reports provisioning and operating statuses; each record is written on its own, children
/// first. `DELETED` removes the row (quotas are counted from rows) except for load balancers,
/// which stay as DELETED for housekeeping; a DELETED record for a row already gone is ignored,
/// as is any update of a missing row.
struct DriverStatusUpdater: Sendable {
    let store: any Store
    let logger: Logger

    /// Why a record was refused: reported back as `status_object` / `status_object_id`.
    struct Failure: Error {
        var fault: String
        var object: DriverObjectKind
        var objectID: String?
    }

    func update(_ message: [String: Any]) async -> [String: Any] {
        do {
            for kind in DriverObjectKind.statusOrder {
                guard let value = message[kind.rawValue] else { continue }
                guard let records = value as? [[String: Any]] else {
                    throw Failure(fault: "'\(kind.rawValue)' must be a list of objects", object: kind, objectID: nil)
                }
                for record in records { try await apply(record, kind: kind) }
            }
            return DriverReply.ok
        } catch let failure as Failure {
            logger.warning("provider status update refused", metadata: [
                "object": "\(failure.object.rawValue)", "id": "\(failure.objectID ?? "-")", "fault": "\(failure.fault)",
            ])
            var reply = DriverReply.failed(failure.fault)
            reply["status_object"] = failure.object.rawValue
            reply["status_object_id"] = failure.objectID ?? NSNull()
            return reply
        } catch {
            return DriverReply.failed("\(error)")
        }
    }

    func apply(_ record: [String: Any], kind: DriverObjectKind) async throws(Failure) {
        guard let id = record["id"] as? String else {
            throw Failure(fault: "status record has no 'id'", object: kind, objectID: nil)
        }
        let provisioning = try status(record["provisioning_status"], ProvisioningStatus.self, kind: kind, id: id)
        let operating = try status(record["operating_status"], OperatingStatus.self, kind: kind, id: id)
        guard provisioning != nil || operating != nil else { return }
        do {
            try await store.write { tx in
                try await Self.write(kind.rowType, id: id, provisioning: provisioning, operating: operating,
                                     deletesRow: kind != .loadbalancers, tx: tx)
            }
        } catch {
            throw Failure(fault: "\(error)", object: kind, objectID: id)
        }
    }

    static func write<T: StoredObject>(_ type: T.Type, id: String, provisioning: ProvisioningStatus?,
                                       operating: OperatingStatus?, deletesRow: Bool, tx: any StoreWriting) async throws {
        if provisioning == .deleted {
            // Gone already: nothing to delete or update.
            guard try await tx.fetch(type, id: id) != nil else { return }
            if deletesRow {
                try await tx.delete(type, id: id)
                return
            }
        }
        try await tx.setStatus(type, id: id, provisioning: provisioning, operating: operating)
    }

    /// A status value: absent, null or empty means "unchanged"; anything else must be a known value.
    func status<S: RawRepresentable<String>>(_ value: Any?, _: S.Type, kind: DriverObjectKind, id: String) throws(Failure) -> S? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw Failure(fault: "status must be a string, not \(value)", object: kind, objectID: id)
        }
        if text.isEmpty { return nil }
        guard let status = S(rawValue: text) else {
            throw Failure(fault: "'\(text)' is not a valid status", object: kind, objectID: id)
        }
        return status
    }
}

/// The replies every socket shares (octavia-lib's `status_code` / `fault_string`).
enum DriverReply {
    static var ok: [String: Any] { ["status_code": 200] }

    static func failed(_ fault: String) -> [String: Any] {
        ["status_code": 500, "fault_string": fault]
    }
}
