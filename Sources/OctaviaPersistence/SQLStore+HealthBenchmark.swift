import Foundation
import OctaviaCore
import SQLKit

/// Fleet seeding for `octavia bench-heartbeats`: copying one load-balancer tree inside SQLite is
/// the only way to put 10,000 amphorae with a million members into a database in seconds.
extension SQLStore {
    /// Copies the tree of load balancer `template` (the LB, its pools, listeners, members and
    /// amphorae) `copies` times in one transaction. Copy `i` (1...copies) gets the template's ids
    /// (and references) with their last twelve hex digits replaced by ``cloneSuffix(_:)`` of `i`.
    /// SQLite only (`printf`, `pragma_table_info`).
    /// Copy `i`'s id suffix: `i` scrambled by an odd multiplier modulo 2^48 (a bijection), so ids
    /// look random and compress like real ones in heartbeats.
    public static func cloneSuffix(_ i: Int) -> String {
        let digits = String((i &* cloneMultiplier) % cloneModulus, radix: 16)
        return String(repeating: "0", count: 12 - digits.count) + digits
    }

    static let cloneMultiplier = 2_654_435_761
    static let cloneModulus = 1 << 48

    /// Heartbeat lookups served from the health view cache, read from the database, and cache resets.
    public var healthCacheCounts: (hits: Int, misses: Int, resets: Int) {
        let counts = healthCache.statistics
        return (counts.hits, counts.misses, counts.resets)
    }

    public func cloneLoadBalancerTree(_ template: LoadBalancer.ID, copies: Int) async throws {
        guard copies > 0 else { return }
        // A validated UUID: safe as a literal.
        let root = "'\(template.rawValue)'"
        // Parents before children: foreign keys are on.
        let plan: [(table: String, filter: String)] = [
            (LoadBalancer.table, "t.id = \(root)"),
            (Pool.table, "t.load_balancer_id = \(root)"),
            (Listener.table, "t.load_balancer_id = \(root)"),
            (Member.table, "t.pool_id IN (SELECT id FROM \"\(Pool.table)\" WHERE load_balancer_id = \(root))"),
            (Amphora.table, "t.load_balancer_id = \(root)"),
        ]
        let references: Set<String> = ["id", "load_balancer_id", "pool_id", "default_pool_id"]
        struct Column: Decodable { var name: String }
        try await write { tx in
            guard let db = (tx as? SQLAccess)?.db else { return }
            for (table, filter) in plan {
                let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))")
                    .all(decoding: Column.self).map(\.name)
                let values = columns.map { name in
                    references.contains(name)
                        ? "CASE WHEN t.\"\(name)\" IS NULL THEN NULL ELSE substr(t.\"\(name)\", 1, 24) || printf('%012x', (n.i * \(Self.cloneMultiplier)) % \(Self.cloneModulus)) END"
                        : "t.\"\(name)\""
                }
                let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(copies)) "
                    + "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) "
                    + "SELECT \(values.joined(separator: ", ")) FROM n, \"\(table)\" AS t WHERE \(filter)"
                try await db.raw("\(unsafeRaw: sql)").run()
            }
        }
    }
}
