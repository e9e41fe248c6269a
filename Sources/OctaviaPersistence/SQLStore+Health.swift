import Foundation
import OctaviaCore
import SQLKit

/// The health manager's queries: narrow column lists, `IN` lists in chunks, one multi-row
/// statement per kind of write, so a batch of heartbeats costs a handful of statements.
extension SQLStore: HealthStore {
    /// Bound parameters per `IN (...)` list, well under SQLite's limit.
    static let inChunk = 500

    /// Cached views where the database has not changed since they were read (see ``HealthViewCache``),
    /// the others read in one pass of narrow queries.
    public func healthViews(of amphorae: [Amphora.ID]) async throws -> [Amphora.ID: AmphoraHealthView] {
        // The token is read between transactions: a half-done one could commit rows the readers do not see yet.
        let token = try await writeLock.withLock { try await Self.healthToken(writer) }
        let lookup = healthCache.lookup(amphorae, current: token)
        guard !lookup.misses.isEmpty else { return lookup.hits }
        let read = try await readHealthViews(of: lookup.misses)
        healthCache.fill(read, generation: lookup.generation)
        return lookup.hits.merging(read) { cached, _ in cached }
    }

    /// The database's change counters as the writer connection sees them.
    static func healthToken(_ db: any SQLDatabase) async throws -> HealthViewCache.Token {
        struct Row: Decodable { var c: Int; var v: Int }
        let row = try await db.raw("SELECT total_changes() AS c, data_version AS v FROM pragma_data_version")
            .first(decoding: Row.self)
        return HealthViewCache.Token(totalChanges: row?.c ?? -1, dataVersion: row?.v ?? -1)
    }

    func readHealthViews(of amphorae: [Amphora.ID]) async throws -> [Amphora.ID: AmphoraHealthView] {
        let db = readerDB
        struct AmphoraRow: Decodable { var id: String; var status: String; var load_balancer_id: String? }
        struct LBRow: Decodable {
            var id: String; var admin_state_up: Bool; var provisioning_status: String; var operating_status: String
        }
        struct ListenerRow: Decodable {
            var id: String; var load_balancer_id: String; var admin_state_up: Bool; var `protocol`: String
            var operating_status: String
        }
        struct PoolRow: Decodable { var id: String; var load_balancer_id: String; var operating_status: String }
        struct MemberRow: Decodable { var id: String; var pool_id: String; var operating_status: String }

        let amphoraRows: [AmphoraRow] = try await chunked(amphorae.map(\.rawValue)) { ids in
            try await db.select().columns("id", "status", "load_balancer_id").from(Amphora.table)
                .where(Self.inList("id", ids)).all(decoding: AmphoraRow.self)
        }
        let live = amphoraRows.filter { $0.status != AmphoraStatus.deleted.rawValue }
        let lbIDs = Array(Set(live.compactMap(\.load_balancer_id)))
        let deleted = ProvisioningStatus.deleted.rawValue
        let lbRows: [LBRow] = try await chunked(lbIDs) { ids in
            try await db.select().columns("id", "admin_state_up", "provisioning_status", "operating_status")
                .from(LoadBalancer.table).where(Self.inList("id", ids))
                .where("provisioning_status", .notEqual, SQLBind(deleted)).all(decoding: LBRow.self)
        }
        let listenerRows: [ListenerRow] = try await chunked(lbIDs) { ids in
            try await db.select().columns("id", "load_balancer_id", "admin_state_up", "protocol", "operating_status")
                .from(Listener.table).where(Self.inList("load_balancer_id", ids))
                .where("provisioning_status", .notEqual, SQLBind(deleted)).all(decoding: ListenerRow.self)
        }
        let poolRows: [PoolRow] = try await chunked(lbIDs) { ids in
            try await db.select().columns("id", "load_balancer_id", "operating_status")
                .from(Pool.table).where(Self.inList("load_balancer_id", ids))
                .where("provisioning_status", .notEqual, SQLBind(deleted)).all(decoding: PoolRow.self)
        }
        let memberRows: [MemberRow] = try await chunked(poolRows.map(\.id)) { ids in
            try await db.select().columns("id", "pool_id", "operating_status")
                .from(Member.table).where(Self.inList("pool_id", ids))
                .where("provisioning_status", .notEqual, SQLBind(deleted)).rows { row in
                    // Column by column: a hundred member rows per load balancer make Codable row decoding the cost.
                    MemberRow(id: try row.decode(column: "id", as: String.self), pool_id: try row.decode(column: "pool_id", as: String.self),
                              operating_status: try row.decode(column: "operating_status", as: String.self))
                }
        }

        func operating(_ raw: String) -> OperatingStatus { OperatingStatus(rawValue: raw) ?? .offline }
        let membersByPool = Dictionary(grouping: memberRows, by: \.pool_id)
        let poolsByLB = Dictionary(grouping: poolRows, by: \.load_balancer_id)
        let listenersByLB = Dictionary(grouping: listenerRows, by: \.load_balancer_id)
        var lbViews: [String: LoadBalancerHealthView] = [:]
        for row in lbRows {
            guard let id = LoadBalancer.ID(row.id) else { continue }
            let listeners = (listenersByLB[row.id] ?? []).compactMap { l -> LoadBalancerHealthView.ListenerView? in
                guard let lid = Listener.ID(l.id), let proto = ListenerProtocol(rawValue: l.protocol) else { return nil }
                return .init(id: lid, adminStateUp: l.admin_state_up, protocol: proto, operatingStatus: operating(l.operating_status))
            }
            let pools = (poolsByLB[row.id] ?? []).compactMap { p -> LoadBalancerHealthView.PoolView? in
                guard let pid = Pool.ID(p.id) else { return nil }
                let members = (membersByPool[p.id] ?? []).compactMap { m in
                    Member.ID(m.id).map { LoadBalancerHealthView.MemberView(id: $0, operatingStatus: operating(m.operating_status)) }
                }
                return .init(id: pid, operatingStatus: operating(p.operating_status), members: members)
            }
            lbViews[row.id] = LoadBalancerHealthView(
                id: id, adminStateUp: row.admin_state_up,
                provisioningStatus: ProvisioningStatus(rawValue: row.provisioning_status) ?? .error,
                operatingStatus: operating(row.operating_status), listeners: listeners, pools: pools)
        }
        var result: [Amphora.ID: AmphoraHealthView] = [:]
        for row in live {
            guard let id = Amphora.ID(row.id), let status = AmphoraStatus(rawValue: row.status) else { continue }
            result[id] = AmphoraHealthView(amphoraID: id, amphoraStatus: status,
                                           loadBalancer: row.load_balancer_id.flatMap { lbViews[$0] })
        }
        return result
    }

    public func apply(_ batch: HealthUpdateBatch) async throws {
        guard !batch.isEmpty else { return }
        let tokens: (HealthViewCache.Token, HealthViewCache.Token)
        do {
            tokens = try await write { tx in
                guard let db = (tx as? SQLAccess)?.db else { throw OctaviaError(.internalError, "health store without SQL access") }
                let before = try await Self.healthToken(db)
                try await Self.upsertLiveness(batch.liveness, db: db)
                try await Self.writeStatuses(batch.statusChanges, db: db)
                try await Self.accumulate(batch.statistics, db: db)
                return (before, try await Self.healthToken(db))
            }
        } catch {
            healthCache.invalidate()
            throw error
        }
        healthCache.committed(batch.statusChanges, before: tokens.0, after: tokens.1)
    }

    public func amphoraHealth(_ id: Amphora.ID) async throws -> AmphoraHealth? {
        struct Row: Decodable { var amphora_id: String; var last_update: Double; var busy: Bool }
        guard let row = try await readerDB.select().columns("amphora_id", "last_update", "busy").from("amphora_health")
            .where("amphora_id", .equal, SQLBind(id.rawValue)).first(decoding: Row.self) else { return nil }
        return AmphoraHealth(amphoraID: id, lastUpdate: Date(timeIntervalSince1970: row.last_update), busy: row.busy)
    }

    public func sweepStaleAmphorae(cutoff: Date, threshold: Int?, limit: Int) async throws -> StaleSweepResult {
        try await write { tx in
            guard let access = tx as? SQLAccess else { return .failingOver([]) }
            let db = access.db
            let deleted = AmphoraStatus.deleted.rawValue
            // Rows of amphorae that are gone would otherwise stay busy (or stale) forever.
            try await db.delete(from: "amphora_health")
                .where(SQLColumn("amphora_id"), .notIn, SQLGroupExpression(SQLSubquery.select {
                    $0.column("id").from(Amphora.table).where("status", .notEqual, SQLBind(deleted))
                })).run()
            let fresh = SQLSubquery.select {
                $0.column("amphora_id").from("amphora_health").where("last_update", .greaterThanOrEqual, SQLBind(cutoff.timeIntervalSince1970))
            }
            try await db.update(Amphora.table).set("status", to: SQLBind(AmphoraStatus.allocated.rawValue))
                .where("status", .equal, SQLBind(AmphoraStatus.failoverStopped.rawValue))
                .where(SQLColumn("id"), .in, SQLGroupExpression(fresh)).run()

            struct Stale: Decodable { var id: String; var status: String; var load_balancer_id: String? }
            let stale = try await db.select().columns(SQLColumn("id", table: "a"), SQLColumn("status", table: "a"),
                                                      SQLColumn("load_balancer_id", table: "a"))
                .from(SQLAlias(SQLIdentifier("amphora_health"), as: SQLIdentifier("h")))
                .join(SQLAlias(SQLIdentifier(Amphora.table), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                      on: SQLColumn("id", table: "a"), .equal, SQLColumn("amphora_id", table: "h"))
                .where(SQLColumn("busy", table: "h"), .equal, SQLBind(false))
                .where(SQLColumn("last_update", table: "h"), .lessThan, SQLBind(cutoff.timeIntervalSince1970))
                .all(decoding: Stale.self)

            if let threshold, stale.count >= threshold {
                let stoppable = stale.filter {
                    $0.status != AmphoraStatus.deleted.rawValue && $0.status != AmphoraStatus.pendingDelete.rawValue
                }.map(\.id)
                for ids in stoppable.chunked(Self.inChunk) {
                    try await db.update(Amphora.table).set("status", to: SQLBind(AmphoraStatus.failoverStopped.rawValue))
                        .where(Self.inList("id", ids)).run()
                }
                return .thresholdReached(count: stale.count, stopped: stoppable.compactMap(Amphora.ID.init))
            }

            let eligible: Set<String> = [AmphoraStatus.allocated.rawValue, AmphoraStatus.failoverStopped.rawValue]
            var claimed: [Amphora.ID] = []
            for row in stale.shuffled() where eligible.contains(row.status) {
                guard claimed.count < limit, let amphoraID = Amphora.ID(row.id),
                      let lbID = row.load_balancer_id.flatMap(LoadBalancer.ID.init) else { continue }
                // The LB lock first: an LB already in a PENDING_* state is being worked on (maybe this
                // very failover); leave the amphora for a later sweep.
                guard try await access.testAndSetStatus(lbID, expected: ProvisioningStatus.failoverable, new: .pendingUpdate) else {
                    continue
                }
                let marked = try await db.update("amphora_health").set("busy", to: SQLBind(true))
                    .where("amphora_id", .equal, SQLBind(row.id)).where("busy", .equal, SQLBind(false))
                    .returning("amphora_id").all(decoding: AmphoraIDRow.self)
                guard !marked.isEmpty else { continue }
                try await access.enqueue(.failoverAmphora(lbID, amphoraID))
                claimed.append(amphoraID)
            }
            return .failingOver(claimed)
        }
    }

    // MARK: Batched writes

    // The two writes every heartbeat makes pass their rows as one JSON array bound to one
    // parameter and expanded by SQLite's jsonb_each (json_each would hand each row over as text,
    // which every `->>` parses again): ten thousand statistics rows cost one statement
    // and one bind instead of eighty thousand binds. Ids are validated UUIDs and need no escaping.

    static func upsertLiveness(_ liveness: [Amphora.ID: Date], db: any SQLDatabase) async throws {
        guard !liveness.isEmpty else { return }
        var json = "["
        json.reserveCapacity(liveness.count * 64)
        for (id, date) in liveness {
            if json.utf8.count > 1 { json += "," }
            json += "[\"\(id.rawValue)\",\(date.timeIntervalSince1970)]"
        }
        json += "]"
        // `busy` is left alone on existing rows: a heartbeat never cancels a failover in progress.
        try await db.raw("""
            INSERT INTO amphora_health (amphora_id, last_update, busy)
            SELECT value ->> 0, value ->> 1, 0 FROM jsonb_each(\(bind: json)) WHERE true
            ON CONFLICT (amphora_id) DO UPDATE SET last_update = excluded.last_update
            """).run()
    }

    static func writeStatuses(_ changes: [OperatingStatusChange], db: any SQLDatabase) async throws {
        var groups: [String: [OperatingStatus: [String]]] = [:]
        for change in changes {
            switch change {
            case .loadBalancer(let id, let s): groups[LoadBalancer.table, default: [:]][s, default: []].append(id.rawValue)
            case .listener(let id, let s): groups[Listener.table, default: [:]][s, default: []].append(id.rawValue)
            case .pool(let id, let s): groups[Pool.table, default: [:]][s, default: []].append(id.rawValue)
            case .member(let id, let s): groups[Member.table, default: [:]][s, default: []].append(id.rawValue)
            }
        }
        for (table, byStatus) in groups {
            for (status, ids) in byStatus {
                for chunk in ids.chunked(inChunk) {
                    try await db.update(table).set("operating_status", to: SQLBind(status.rawValue))
                        .where(Self.inList("id", chunk)).run()
                }
            }
        }
    }

    /// ver ≥ 3 adds the deltas and replaces `active_connections`; older messages replace everything.
    /// Rows are applied in order, so two heartbeats of one amphora in a batch both count.
    static func accumulate(_ samples: [ListenerStatisticsSample], db: any SQLDatabase) async throws {
        for isDelta in [true, false] {
            var json = "["
            json.reserveCapacity(samples.count * 200)
            for s in samples where s.isDelta == isDelta {
                if json.utf8.count > 1 { json += "," }
                let listener = s.listenerID.rawValue, amphora = s.amphoraID.rawValue
                json += "[\"\(listener)/\(amphora)\",\"\(listener)\",\"\(amphora)\",\(s.bytesIn),\(s.bytesOut),"
                json += "\(s.activeConnections),\(s.totalConnections),\(s.requestErrors)]"
            }
            guard json.utf8.count > 1 else { continue }
            json += "]"
            let counters = ["bytes_in", "bytes_out", "total_connections", "request_errors"]
            let update = counters.map { isDelta ? "\($0) = \(ListenerStatistics.table).\($0) + excluded.\($0)" : "\($0) = excluded.\($0)" }
            try await db.raw("""
                INSERT INTO \(ident: ListenerStatistics.table) (id, listener_id, amphora_id, bytes_in, bytes_out, \
                active_connections, total_connections, request_errors)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
                FROM jsonb_each(\(bind: json)) WHERE true
                ON CONFLICT (id) DO UPDATE SET active_connections = excluded.active_connections, \(unsafeRaw: update.joined(separator: ", "))
                """).run()
        }
    }

    static func inList(_ column: String, _ values: [String]) -> any SQLExpression {
        SQLBinaryExpression(SQLColumn(column), .in, SQLGroupExpression(values.map { SQLBind($0) }))
    }

    private func chunked<Row: Sendable>(_ ids: [String], _ query: ([String]) async throws -> [Row]) async throws -> [Row] {
        var rows: [Row] = []
        for chunk in ids.chunked(Self.inChunk) { rows += try await query(chunk) }
        return rows
    }
}

struct AmphoraIDRow: Decodable { var amphora_id: String }

extension SQLSelectBuilder {
    /// The result rows built by `make`, which reads columns directly (cheaper than `all(decoding:)`).
    func rows<Row: Sendable>(_ make: @escaping @Sendable (any SQLRow) throws -> Row) async throws -> [Row] {
        let sink = RowSink<Row>()
        try await run { row in sink.add(Result { try make(row) }) }
        return try sink.rows.map { try $0.get() }
    }
}

/// Rows handed over by a query's row callback, which runs on the connection's thread one row at a
/// time; read only after the query completed.
private final class RowSink<Row: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Result<Row, any Error>] = []
    func add(_ row: Result<Row, any Error>) { lock.withLock { collected.append(row) } }
    var rows: [Result<Row, any Error>] { lock.withLock { collected } }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
