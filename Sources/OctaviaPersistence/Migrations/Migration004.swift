import SQLKit

/// Per (listener, amphora) traffic counters, filled from heartbeats (Octavia's `listener_statistics`).
enum Migration004 {
    static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "listener_statistics")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("listener_id", type: .text, .notNull)
            .column("amphora_id", type: .text, .notNull)
            .column("bytes_in", type: .bigint, .notNull)
            .column("bytes_out", type: .bigint, .notNull)
            .column("active_connections", type: .bigint, .notNull)
            .column("total_connections", type: .bigint, .notNull)
            .column("request_errors", type: .bigint, .notNull)
            .run()
        try await db.create(index: "ix_listener_statistics_listener").on("listener_statistics").column("listener_id").run()
        try await db.create(index: "ix_listener_statistics_amphora").on("listener_statistics").column("amphora_id").run()
    }
}
