import SQLKit

/// TLS settings of listeners (termination, SNI, client auth, HSTS) and pools (re-encryption).
/// SQLite adds one column per ALTER TABLE, so each column is its own statement.
enum Migration005 {
    static func apply(_ db: any SQLDatabase) async throws {
        let listenerColumns: [(String, SQLDataType, [SQLColumnConstraintAlgorithm])] = [
            ("default_tls_container_ref", .text, []),
            ("sni_container_refs", .text, [.notNull, .default("[]")]),
            ("client_ca_tls_container_ref", .text, []),
            ("client_authentication", .text, [.notNull, .default("NONE")]),
            ("client_crl_container_ref", .text, []),
            ("tls_ciphers", .text, []),
            ("tls_versions", .text, []),
            ("alpn_protocols", .text, []),
            ("hsts_max_age", .int, []),
            ("hsts_include_subdomains", .custom(SQLRaw("BOOLEAN")), [.notNull, .default(false)]),
            ("hsts_preload", .custom(SQLRaw("BOOLEAN")), [.notNull, .default(false)]),
        ]
        for (name, type, constraints) in listenerColumns {
            try await db.alter(table: "listener").column(name, type: type, constraints).run()
        }
        let poolColumns: [(String, SQLDataType, [SQLColumnConstraintAlgorithm])] = [
            ("tls_enabled", .custom(SQLRaw("BOOLEAN")), [.notNull, .default(false)]),
            ("tls_container_ref", .text, []),
            ("ca_tls_container_ref", .text, []),
            ("crl_container_ref", .text, []),
            ("tls_ciphers", .text, []),
            ("tls_versions", .text, []),
            ("alpn_protocols", .text, []),
        ]
        for (name, type, constraints) in poolColumns {
            try await db.alter(table: "pool").column(name, type: type, constraints).run()
        }
    }
}
