import Foundation
import Logging
import OctaviaCore
import SQLKit
import SQLiteKit

/// The SQL database behind the ``Store`` protocol. SQLite is the embedded default: one writer
/// connection (writes are serialised by an async lock) and several reader connections in WAL
/// mode, so readers only ever see committed data and concurrent GETs do not queue behind one
/// connection (each SQLite connection runs one statement at a time).
public final class SQLStore: Store {
    let writer: any SQLDatabase
    let readers: [any SQLDatabase]
    private let nextReader = ReaderCounter()
    let writeLock = AsyncLock()
    let signal = JobSignal()
    let logger: Logger
    private let connections: [SQLiteConnection]
    /// Background WAL checkpoints of a file database (nil in memory).
    private let checkpointer: WALCheckpointer?
    /// The health manager's load-balancer trees (SQLStore+Health.swift).
    let healthCache = HealthViewCache()

    /// Reader connections of a file database: GETs are spread over them round-robin.
    static let readerCount = 4

    /// The first reader; kept for code that wants one fixed connection.
    var readerDB: any SQLDatabase { readers[0] }
    public var reader: any StoreReading { SQLAccess(db: readers[nextReader.next() % readers.count], enqueued: nil) }
    public var jobs: any JobQueue { SQLJobQueue(store: self) }

    init(writer: any SQLDatabase, readers: [any SQLDatabase], connections: [SQLiteConnection],
         checkpointer: WALCheckpointer? = nil, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.connections = connections
        self.checkpointer = checkpointer
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
            // 64 MiB of page cache (default 2 MiB): the health manager's batches touch statistics and
            // health rows of the whole fleet, and a small cache spills them to the WAL mid-transaction.
            _ = try await writerDB.raw("PRAGMA cache_size=-65536").all()
            // Checkpoints run beside the writer, not inside its commits (WALCheckpointer). With WAL,
            // synchronous=NORMAL (configure) keeps every commit across a process crash, which is the
            // guarantee several processes sharing the file need; only an OS crash or power loss may
            // lose the last commits, never corrupt the database.
            try await WALCheckpointer.configureWriter(writerDB)
            let checkpointer = try await WALCheckpointer.start(path: path, logger: logger)
            var readerConnections: [SQLiteConnection] = []
            var readers: [any SQLDatabase] = []
            for _ in 0..<readerCount {
                let r = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readerConnections.append(r)
                let readerDB = r.sql(queryLogLevel: .trace)
                try await configure(readerDB)
                readers.append(readerDB)
            }
            store = SQLStore(writer: writerDB, readers: readers, connections: [w] + readerConnections,
                             checkpointer: checkpointer, logger: logger)
        } else {
            let c = try await SQLiteConnection.open(storage: .memory, logger: logger)
            let db = c.sql(queryLogLevel: .trace)
            try await configure(db)
            store = SQLStore(writer: db, readers: [db], connections: [c], logger: logger)
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
        await checkpointer?.stop()
        for connection in connections { try? await connection.close() }
    }
}

/// Round-robin position over the reader connections.
final class ReaderCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value &+= 1
            return value & Int.max
        }
    }
}
