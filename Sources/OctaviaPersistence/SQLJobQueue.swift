import Foundation
import OctaviaCore
import SQLKit

/// The job table as a queue. A claim is one write transaction, so two workers can never hold
/// the same job; a holder that stops renewing its lease (crashed) loses the job to the next claim.
struct SQLJobQueue: JobQueue {
    let store: SQLStore

    private struct Row: Decodable {
        var id: String
        var action: String
        var state: String
        var owner: String?
        var leaseUntil: Double?
        var attempts: Int

        enum CodingKeys: String, CodingKey {
            case id, action, state, owner, attempts
            case leaseUntil = "lease_until"
        }
    }

    func claim(by worker: WorkerIdentity, lease: Duration, liveness: @Sendable (WorkerIdentity) -> HolderLiveness) async throws -> Job? {
        let now = Date().timeIntervalSince1970
        return try await store.writeLock.withLock {
            let db = store.writer
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let rows = try await db.select().column("*").from("job")
                    .orderBy("created_at").limit(200).all(decoding: Row.self)
                let candidate = rows.first { row in
                    if row.state == JobState.pending.rawValue { return true }
                    switch row.owner.map({ liveness(WorkerIdentity(string: $0)) }) ?? .dead {
                    case .alive: return false
                    case .dead: return true
                    case .unknown: return (row.leaseUntil ?? 0) < now
                    }
                }
                guard let row = candidate else {
                    try await db.raw("COMMIT").run()
                    return nil
                }
                // Decoded before committing the claim: a row no version of us can read is removed
                // (and logged) instead of being claimed and failing forever.
                guard let id = Job.ID(row.id),
                      let action = try? JSONDecoder().decode(JobAction.self, from: Data(row.action.utf8)) else {
                    store.logger.error("dropping unreadable job", metadata: ["job": "\(row.id)", "action": "\(row.action)"])
                    try await db.delete(from: "job").where("id", .equal, SQLBind(row.id)).run()
                    try await db.raw("COMMIT").run()
                    return nil
                }
                try await db.update("job")
                    .set("state", to: SQLBind(JobState.running.rawValue))
                    .set("owner", to: SQLBind(worker.description))
                    .set("lease_until", to: SQLBind(now + lease.seconds))
                    .set("attempts", to: SQLBind(row.attempts + 1))
                    .where("id", .equal, SQLBind(row.id))
                    .run()
                try await db.raw("COMMIT").run()
                return Job(id: id, action: action, attempts: row.attempts + 1)
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func renew(_ id: Job.ID, by worker: WorkerIdentity, lease: Duration) async throws -> Bool {
        return try await store.write { _ in
            let rows = try await store.writer.update("job")
                .set("lease_until", to: SQLBind(Date().timeIntervalSince1970 + lease.seconds))
                .where("id", .equal, SQLBind(id.rawValue))
                .where("owner", .equal, SQLBind(worker.description))
                .returning("id").all(decoding: IDRow.self)
            return !rows.isEmpty
        }
    }

    func finish(_ id: Job.ID) async throws {
        try await store.write { _ in
            try await store.writer.delete(from: "job").where("id", .equal, SQLBind(id.rawValue)).run()
        }
    }

    func pendingCount() async throws -> Int {
        return try await store.readerDB.select()
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("job").first(decoding: CountRow.self)?.n ?? 0
    }

    func waitForWork(timeout: Duration) async {
        await store.signal.wait(timeout: timeout)
    }
}

extension Duration {
    /// Whole and fractional seconds as a Double.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
