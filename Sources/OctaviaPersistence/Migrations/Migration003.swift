import SQLKit

/// Flavors, flavor profiles, availability zones, availability zone profiles and quotas.
///
/// Availability zones and quotas are keyed by name / project in Octavia; here that key is the
/// `id` column so every table is fetched the same way.
enum Migration003 {
    static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "flavor_profile")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("provider_name", type: .text, .notNull)
            .column("flavor_data", type: .text, .notNull)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()

        try await db.create(table: "flavor")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("description", type: .text)
            .column("enabled", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("flavor_profile_id", type: .text, .notNull, .references("flavor_profile", "id"))
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()
        try await db.create(index: "uq_flavor_name").unique().on("flavor").column("name").run()
        try await db.create(index: "ix_flavor_profile").on("flavor").column("flavor_profile_id").run()

        try await db.create(table: "availability_zone_profile")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("provider_name", type: .text, .notNull)
            .column("availability_zone_data", type: .text, .notNull)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()

        // `id` is the zone's name.
        try await db.create(table: "availability_zone")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("description", type: .text)
            .column("enabled", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("availability_zone_profile_id", type: .text, .notNull,
                    .references("availability_zone_profile", "id"))
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()
        try await db.create(index: "ix_availability_zone_profile").on("availability_zone")
            .column("availability_zone_profile_id").run()

        // `id` is the project; NULL limits mean "use the [quotas] default".
        try await db.create(table: "quota")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("load_balancer", type: .int)
            .column("listener", type: .int)
            .column("pool", type: .int)
            .column("health_monitor", type: .int)
            .column("member", type: .int)
            .column("l7policy", type: .int)
            .column("l7rule", type: .int)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()

        // Quota counting and the in-use checks look load balancers up by these.
        try await db.create(index: "ix_load_balancer_flavor").on("load_balancer").column("flavor_id").run()
        try await db.create(index: "ix_load_balancer_az").on("load_balancer").column("availability_zone").run()
    }
}
