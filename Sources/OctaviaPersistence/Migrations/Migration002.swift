import SQLKit

/// L7 policies (ordered per listener) and their rules.
enum Migration002 {
    static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "l7policy")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("project_id", type: .text, .notNull)
            .column("listener_id", type: .text, .notNull, .references("listener", "id"))
            .column("name", type: .text)
            .column("description", type: .text)
            .column("admin_state_up", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("provisioning_status", type: .text, .notNull)
            .column("operating_status", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            // No foreign key: the API refuses to delete a pool a policy redirects to, and the
            // worker's cascade deletes go listener (with its policies) first.
            .column("redirect_pool_id", type: .text)
            .column("redirect_url", type: .text)
            .column("redirect_prefix", type: .text)
            .column("redirect_http_code", type: .int)
            .column("position", type: .int, .notNull)
            .column("tags", type: .text, .notNull)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("updated_at", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .run()
        try await db.create(index: "ix_l7policy_listener").on("l7policy").column("listener_id").column("position").run()
        try await db.create(index: "ix_l7policy_redirect_pool").on("l7policy").column("redirect_pool_id").run()

        try await db.create(table: "l7rule")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("project_id", type: .text, .notNull)
            .column("l7policy_id", type: .text, .notNull, .references("l7policy", "id"))
            .column("type", type: .text, .notNull)
            .column("compare_type", type: .text, .notNull)
            .column("key", type: .text)
            .column("value", type: .text, .notNull)
            .column("invert", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("admin_state_up", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("provisioning_status", type: .text, .notNull)
            .column("operating_status", type: .text, .notNull)
            .column("tags", type: .text, .notNull)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("updated_at", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .run()
        try await db.create(index: "ix_l7rule_policy").on("l7rule").column("l7policy_id").run()
    }
}
