import Foundation
import Logging
import OctaviaCore
import OctaviaHousekeeping
import OctaviaNoopDrivers
import OctaviaPersistence
import Testing

/// Housekeeping's certificate rotation: only certificates inside the expiry buffer are replaced.
@Suite struct CertificateRotationTests {
    /// Records uploads; fails for the amphorae it is told to.
    final class RecordingUploader: AmphoraCertificateUploader, @unchecked Sendable {
        private let lock = NSLock()
        private var uploads: [Amphora.ID] = []
        let failing: Set<Amphora.ID>
        init(failing: Set<Amphora.ID> = []) { self.failing = failing }
        var uploaded: [Amphora.ID] { lock.withLock { uploads } }

        func uploadServerCertificate(_ amphora: Amphora, pem: String) async throws {
            if failing.contains(amphora.id) { throw CancellationError() }
            lock.withLock { uploads.append(amphora.id) }
        }
    }

    @Test func rotatesOnlyCertificatesInsideTheBuffer() async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "t"))
        do { try await check(store) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    func check(_ store: SQLStore) async throws {
        let now = Date()
        let day: TimeInterval = 86_400
        let soon = Amphora(loadBalancerID: nil, status: .allocated, certExpiration: now.addingTimeInterval(2 * day))
        let later = Amphora(loadBalancerID: nil, status: .allocated, certExpiration: now.addingTimeInterval(20 * day))
        let deleted = Amphora(loadBalancerID: nil, status: .deleted, certExpiration: now.addingTimeInterval(-day))
        let unreachable = Amphora(loadBalancerID: nil, status: .ready, certExpiration: now.addingTimeInterval(day))
        try await store.write { tx in for a in [soon, later, deleted, unreachable] { try await tx.insert(a) } }

        let uploader = RecordingUploader(failing: [unreachable.id])
        let rotation = CertificateRotation(
            store: store, generator: NoopCertificateGenerator(), uploader: uploader,
            settings: .init(expiryBuffer: .seconds(Int64(14 * day)), validity: .seconds(Int64(30 * day))),
            logger: Logger(label: "t"))
        #expect(Set(try await rotation.expiring(now: now).map(\.id)) == [soon.id, unreachable.id])
        let rotated = try await rotation.rotate(now: now)
        #expect(rotated == [soon.id])
        #expect(uploader.uploaded == [soon.id])
        let renewed = try #require(try await store.reader.fetch(Amphora.self, id: soon.id)?.certExpiration)
        #expect(renewed > now.addingTimeInterval(29 * day))
        let kept = try #require(try await store.reader.fetch(Amphora.self, id: later.id)?.certExpiration)
        #expect(abs(kept.timeIntervalSince(now.addingTimeInterval(20 * day))) < 1)
        // The failed one keeps its old expiry and is due again next round.
        #expect(try await rotation.expiring(now: now).map(\.id) == [unreachable.id])
    }
}
