import Foundation
import Logging
import SQLKit
import SQLiteKit

/// Checkpoints a SQLite WAL from its own connection and thread, so the writer's commits never
/// copy pages back into the database file or wait for its fsync (SQLite's auto-checkpoint does
/// both inside the COMMIT that crosses the threshold, which showed as latency spikes of every
/// write: API, worker and heartbeat batches alike).
///
/// - A PASSIVE checkpoint every ``interval``: it never blocks the writer or the readers and copies
///   every frame no reader still needs; the writer then restarts the WAL from its start.
/// - The writer keeps auto-checkpoint as a safety net at ``writerFallbackPages`` (far above what
///   one interval writes), so the WAL cannot grow without bound if this task stalls or dies.
/// - `journal_size_limit` truncates the WAL file when it restarts, so a burst does not leave a
///   large file behind (a TRUNCATE checkpoint would block writers; this does not).
final class WALCheckpointer: Sendable {
    static let interval: Duration = .milliseconds(250)
    /// Pages (4 KiB) of WAL before the writer checkpoints by itself: 64 MiB.
    static let writerFallbackPages = 16_384
    /// Bytes the WAL file is truncated to when it restarts.
    static let journalSizeLimit = 64 * 1024 * 1024

    private let connection: SQLiteConnection
    private let pool: NIOThreadPool
    private let task: Task<Void, Never>

    /// Opens the checkpoint connection on a thread of its own and starts the periodic checkpoints.
    static func start(path: String, logger: Logger) async throws -> WALCheckpointer {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: pool, logger: logger,
                                                             on: MultiThreadedEventLoopGroup.singleton.any())
            return WALCheckpointer(connection: connection, pool: pool, logger: logger)
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }

    private init(connection: SQLiteConnection, pool: NIOThreadPool, logger: Logger) {
        self.connection = connection
        self.pool = pool
        let db = connection.sql(queryLogLevel: .trace)
        task = Task {
            var failures = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                guard !Task.isCancelled else { break }
                do {
                    _ = try await db.raw("PRAGMA wal_checkpoint(PASSIVE)").all()
                    failures = 0
                } catch {
                    // SQLITE_BUSY when another process checkpoints at the same moment: try next time.
                    failures += 1
                    if failures == 10 { logger.warning("WAL checkpoints failing", metadata: ["error": "\(error)"]) }
                }
            }
        }
    }

    /// Settings of the writer connection that go with this checkpointer.
    static func configureWriter(_ writer: any SQLDatabase) async throws {
        _ = try await writer.raw("PRAGMA wal_autocheckpoint=\(unsafeRaw: String(writerFallbackPages))").all()
        _ = try await writer.raw("PRAGMA journal_size_limit=\(unsafeRaw: String(journalSizeLimit))").all()
    }

    /// Stops the checkpoints, runs a last one and closes the connection.
    func stop() async {
        task.cancel()
        _ = await task.result
        _ = try? await connection.sql().raw("PRAGMA wal_checkpoint(PASSIVE)").all()
        try? await connection.close()
        try? await pool.shutdownGracefully()
    }
}
