import SQLKit

/// One schema step. Steps are numbered, append-only and never edited once released:
/// a new column or table is a new step.
struct Migration: Sendable {
    var version: Int
    var name: String
    var apply: @Sendable (any SQLDatabase) async throws -> Void
}

enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "initial schema", apply: Migration001.apply),
        Migration(version: 2, name: "l7 policies and rules", apply: Migration002.apply),
        Migration(version: 3, name: "flavors, availability zones and quotas", apply: Migration003.apply),
        Migration(version: 4, name: "listener statistics", apply: Migration004.apply),
        Migration(version: 5, name: "listener and pool TLS settings", apply: Migration005.apply),
        Migration(version: 6, name: "amphora health", apply: Migration006.apply),
        Migration(version: 7, name: "list indexes, additional VIPs and VIP security groups", apply: Migration007.apply),
    ]

    /// Applies the steps newer than the recorded version, each in its own transaction.
    static func upgrade(_ db: any SQLDatabase) async throws -> [Int] {
        try await db.create(table: "schema_version").ifNotExists()
            .column("version", type: .int, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .run()
        struct Row: Decodable { var version: Int }
        var applied: [Int] = []
        for migration in all {
            // IMMEDIATE takes the write lock first, and the version is read again under it: two
            // daemons starting together never both apply a step.
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let done = try await db.select().column("version").from("schema_version")
                    .where("version", .equal, SQLBind(migration.version)).all(decoding: Row.self)
                guard done.isEmpty else {
                    try await db.raw("COMMIT").run()
                    continue
                }
                try await migration.apply(db)
                try await db.insert(into: "schema_version").columns("version", "name")
                    .values(SQLBind(migration.version), SQLBind(migration.name)).run()
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
            applied.append(migration.version)
        }
        return applied
    }
}
