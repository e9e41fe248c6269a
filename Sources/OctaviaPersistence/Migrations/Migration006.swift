import SQLKit

/// Amphora liveness for the health manager (Octavia's `amphora_health`): one row per amphora that
/// ever sent a heartbeat. `last_update` is seconds since the epoch; `busy` marks a failover in progress.
enum Migration006 {
    static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "amphora_health")
            .column("amphora_id", type: .text, .primaryKey(autoIncrement: false))
            .column("last_update", type: .real, .notNull)
            .column("busy", type: .custom(SQLRaw("BOOLEAN")), .notNull, .default(false))
            .run()
        try await db.create(index: "ix_amphora_health_last_update").on("amphora_health").column("last_update").run()
    }
}
