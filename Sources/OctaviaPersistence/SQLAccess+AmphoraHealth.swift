import OctaviaCore
import SQLKit

extension SQLAccess: AmphoraHealthWriting {
    func markAmphoraHealthBusy(_ ids: [Amphora.ID]) async throws {
        guard !ids.isEmpty else { return }
        try await db.update("amphora_health").set("busy", to: SQLBind(true))
            .where(SQLColumn("amphora_id"), .in, SQLGroupExpression(ids.map { SQLBind($0.rawValue) })).run()
    }

    func deleteAmphoraHealth(_ ids: [Amphora.ID]) async throws {
        guard !ids.isEmpty else { return }
        try await db.delete(from: "amphora_health")
            .where(SQLColumn("amphora_id"), .in, SQLGroupExpression(ids.map { SQLBind($0.rawValue) })).run()
    }
}
