import Foundation
import OctaviaCore
import SQLKit

/// Reads and writes rows of ``StoredObject`` types on one SQL connection. Dialect-neutral: only
/// SQLKit builders, no engine-specific SQL.
struct SQLAccess: StoreWriting {
    let db: any SQLDatabase
    /// Set when the transaction enqueued a job, so the store can wake local workers after commit.
    let enqueued: EnqueueFlag?

    func fetch<T: StoredObject>(_ type: T.Type, id: String) async throws -> T? {
        try await db.select().column("*").from(T.table).where("id", .equal, SQLBind(id))
            .first(decoding: T.self)
    }

    func list<T: StoredObject>(_ type: T.Type, _ query: ListQuery) async throws -> [T] {
        var select = db.select().column("*").from(T.table)
        select = Self.apply(query.filters, to: select)
        if let after = query.after { select = select.where(Self.keyset(after, sort: query.sort, table: T.table)) }
        for key in query.sort {
            select = select.orderBy(SQLColumn(key.column), key.direction == .asc ? SQLDirection.ascending : SQLDirection.descending)
        }
        if let limit = query.limit { select = select.limit(limit) }
        return try await select.all(decoding: T.self)
    }

    func count<T: StoredObject>(_ type: T.Type, _ query: ListQuery) async throws -> Int {
        var select = db.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from(T.table)
        select = Self.apply(query.filters, to: select)
        return try await select.first(decoding: CountRow.self)?.n ?? 0
    }

    static func apply(_ filters: [(column: String, value: StoredValue)], to select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        for filter in filters { select = select.where(condition(SQLColumn(filter.column), filter.value)) }
        return select
    }

    static func condition(_ column: SQLColumn, _ value: StoredValue) -> any SQLExpression {
        switch value {
        case .null: return SQLBinaryExpression(column, .is, SQLLiteral.null)
        case .in(let values):
            guard !values.isEmpty else { return SQLRaw("1 = 0") }
            return SQLBinaryExpression(column, .in, SQLGroupExpression(values.map(bind)))
        case .not(.null): return SQLBinaryExpression(column, .isNot, SQLLiteral.null)
        case .not(.in(let values)):
            guard !values.isEmpty else { return SQLRaw("1 = 1") }
            return SQLBinaryExpression(column, .notIn, SQLGroupExpression(values.map(bind)))
        case .not(let inner): return SQLBinaryExpression(column, .notEqual, bind(inner))
        default: return SQLBinaryExpression(column, .equal, bind(value))
        }
    }

    static func bind(_ value: StoredValue) -> any SQLExpression {
        switch value {
        case .string(let s): return SQLBind(s)
        case .int(let i): return SQLBind(i)
        case .double(let d): return SQLBind(d)
        case .bool(let b): return SQLBind(b)
        case .null, .in, .not: return SQLLiteral.null
        }
    }

    /// (c1 > m1) OR (c1 = m1 AND c2 > m2) OR ..., `<` for descending columns, where mN is the marker
    /// row's value of cN read by a sub-select.
    static func keyset(_ bound: KeysetBound, sort: [(column: String, direction: SortDirection)], table: String) -> any SQLExpression {
        func marker(_ column: String) -> any SQLExpression {
            SQLGroupExpression(SQLSubquery.select { $0.column(SQLColumn(column)).from(table).where("id", .equal, SQLBind(bound.markerID)) })
        }
        var alternatives: [any SQLExpression] = []
        for (index, key) in sort.enumerated() {
            var terms: [any SQLExpression] = []
            for previous in sort[..<index] {
                terms.append(SQLBinaryExpression(SQLColumn(previous.column), .equal, marker(previous.column)))
            }
            let op: SQLBinaryOperator = key.direction == .asc ? .greaterThan : .lessThan
            terms.append(SQLBinaryExpression(SQLColumn(key.column), op, marker(key.column)))
            alternatives.append(SQLGroupExpression(terms.dropFirst().reduce(terms[0]) { SQLBinaryExpression($0, .and, $1) }))
        }
        guard let first = alternatives.first else { return SQLRaw("1 = 1") }
        return SQLGroupExpression(alternatives.dropFirst().reduce(first) { SQLBinaryExpression($0, .or, $1) })
    }

    func insert<T: StoredObject>(_ object: T) async throws {
        try await db.insert(into: T.table).model(object, nilEncodingStrategy: .asNil).run()
    }

    func update<T: StoredObject>(_ object: T) async throws {
        try await db.update(T.table).set(model: object, nilEncodingStrategy: .asNil)
            .where("id", .equal, SQLBind(object.storageID)).run()
    }

    func delete<T: StoredObject>(_ type: T.Type, id: String) async throws {
        try await db.delete(from: T.table).where("id", .equal, SQLBind(id)).run()
    }

    func testAndSetStatus(_ id: LoadBalancer.ID, expected: Set<ProvisioningStatus>, new: ProvisioningStatus) async throws -> Bool {
        // UPDATE ... WHERE status IN (...) RETURNING id: one statement, so the check and the set cannot
        // interleave with another writer (SQLite and PostgreSQL both support RETURNING).
        let rows = try await db.update(LoadBalancer.table)
            .set("provisioning_status", to: SQLBind(new.rawValue))
            .set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id.rawValue))
            .where(SQLColumn("provisioning_status"), .in, SQLGroupExpression(expected.map { SQLBind($0.rawValue) }))
            .returning("id")
            .all(decoding: IDRow.self)
        return !rows.isEmpty
    }

    func setStatus<T: StoredObject>(_ type: T.Type, id: String, provisioning: ProvisioningStatus?, operating: OperatingStatus?) async throws {
        guard provisioning != nil || operating != nil else { return }
        var update = db.update(T.table)
        if let provisioning { update = update.set("provisioning_status", to: SQLBind(provisioning.rawValue)) }
        if let operating { update = update.set("operating_status", to: SQLBind(operating.rawValue)) }
        update = update.set("updated_at", to: SQLBind(Date()))
        try await update.where("id", .equal, SQLBind(id)).run()
    }

    func enqueue(_ action: JobAction) async throws {
        let payload = String(decoding: try JSONEncoder().encode(action), as: UTF8.self)
        try await db.insert(into: "job")
            .columns("id", "load_balancer_id", "action", "state", "owner", "lease_until", "attempts", "completed_steps", "created_at")
            .values(SQLBind(Job.ID.generate().rawValue), SQLBind(action.loadBalancerID.rawValue), SQLBind(payload),
                    SQLBind(JobState.pending.rawValue), SQLLiteral.null, SQLLiteral.null, SQLBind(0), SQLBind(0),
                    SQLBind(Date().timeIntervalSince1970))
            .run()
        enqueued?.set()
    }

    func removeJob(_ id: Job.ID) async throws {
        try await db.delete(from: "job").where("id", .equal, SQLBind(id.rawValue)).run()
    }
}

enum JobState: String {
    case pending, running
}

/// A flag set inside a transaction and read after it; only touched by the task holding the write lock.
final class EnqueueFlag: @unchecked Sendable {
    private(set) var isSet = false
    func set() { isSet = true }
}

struct CountRow: Decodable { var n: Int }
struct IDRow: Decodable { var id: String }
