import Foundation
import Logging
import OctaviaCore
import SQLKit
import SQLiteKit

/// The SQL database behind the ``Store`` protocol. SQLite is the embedded default: one writer
/// connection (writes are serialised by an async lock) and one reader connection in WAL mode,
/// so readers only ever see committed data.
public final class SQLStore: Store {
    let writer: any SQLDatabase
    let readerDB: any SQLDatabase
    let writeLock = AsyncLock()
    let signal = JobSignal()
    let logger: Logger
    private let connections: [SQLiteConnection]

    public var reader: any StoreReading { SQLAccess(db: readerDB, enqueued: nil) }
    public var jobs: any JobQueue { SQLJobQueue(store: self) }

    init(writer: any SQLDatabase, reader: any SQLDatabase, connections: [SQLiteConnection], logger: Logger) {
        self.writer = writer
        self.readerDB = reader
        self.connections = connections
        self.logger = logger
    }

    /// Opens (creating if needed) a SQLite database and applies pending migrations.
    /// - Parameter path: the database file, or nil for a private in-memory database (tests).
    public static func openSQLite(path: String?, logger: Logger, migrate: Bool = true) async throws -> SQLStore {
        let store: SQLStore
        if let path {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let w = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            let writerDB = w.sql(queryLogLevel: .trace)
            _ = try await writerDB.raw("PRAGMA journal_mode=WAL").all()
            try await configure(writerDB)
            let r = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            let readerDB = r.sql(queryLogLevel: .trace)
            try await configure(readerDB)
            store = SQLStore(writer: writerDB, reader: readerDB, connections: [w, r], logger: logger)
        } else {
            let c = try await SQLiteConnection.open(storage: .memory, logger: logger)
            let db = c.sql(queryLogLevel: .trace)
            try await configure(db)
            store = SQLStore(writer: db, reader: db, connections: [c], logger: logger)
        }
        if migrate { try await store.upgrade() }
        return store
    }

    private static func configure(_ db: any SQLDatabase) async throws {
        _ = try await db.raw("PRAGMA busy_timeout=10000").all()
        _ = try await db.raw("PRAGMA foreign_keys=ON").all()
        _ = try await db.raw("PRAGMA synchronous=NORMAL").all()
    }

    /// Applies migrations not yet recorded; returns the versions applied.
    @discardableResult
    public func upgrade() async throws -> [Int] {
        try await writeLock.withLock {
            let applied = try await Migrations.upgrade(writer)
            if !applied.isEmpty { logger.info("database migrated", metadata: ["versions": "\(applied)"]) }
            return applied
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any StoreWriting) async throws -> T) async throws -> T {
        let flag = EnqueueFlag()
        let result = try await writeLock.withLock {
            // IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way on
            // a lock upgrade when another process (db-manage, a second daemon) writes too.
            try await writer.raw("BEGIN IMMEDIATE").run()
            do {
                let value = try await body(SQLAccess(db: writer, enqueued: flag))
                try await writer.raw("COMMIT").run()
                return value
            } catch {
                do { try await writer.raw("ROLLBACK").run() } catch {
                    logger.error("rollback failed", metadata: ["error": "\(error)"])
                }
                throw error
            }
        }
        if flag.isSet { await signal.notify() }
        return result
    }

    public func close() async {
        for connection in connections { try? await connection.close() }
    }
}
