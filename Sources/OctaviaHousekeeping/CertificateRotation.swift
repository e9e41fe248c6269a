import Foundation
import Logging
import OctaviaCore
import ServiceLifecycle

/// Renews amphora agent server certificates before they expire (Octavia's `CertRotation` in
/// `octavia-housekeeping`): every `interval`, amphorae whose certificate expires within
/// `expiryBuffer` get a new one, pushed to their agent, and the new expiry is recorded.
/// Only the agent's own mTLS listener changes; HAProxy and its traffic are not touched.
public struct CertificateRotation: Service {
    public struct Settings: Sendable {
        /// `[house_keeping] cert_interval`.
        public var interval: Duration
        /// `[house_keeping] cert_expiry_buffer`.
        public var expiryBuffer: Duration
        /// `[certificates] cert_validity_time`: validity of the new certificates.
        public var validity: Duration
        /// `[house_keeping] cert_rotate_threads`: rotations at once.
        public var concurrency: Int

        public init(interval: Duration = .seconds(3600), expiryBuffer: Duration = .seconds(1_209_600),
                    validity: Duration = .seconds(2_592_000), concurrency: Int = 10) {
            self.interval = interval; self.expiryBuffer = expiryBuffer
            self.validity = validity; self.concurrency = concurrency
        }
    }

    let store: any Store
    let generator: any CertificateGenerator
    let uploader: any AmphoraCertificateUploader
    let settings: Settings
    let logger: Logger

    public init(store: any Store, generator: any CertificateGenerator, uploader: any AmphoraCertificateUploader,
                settings: Settings, logger: Logger) {
        self.store = store; self.generator = generator; self.uploader = uploader
        self.settings = settings; self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let rotated = try await rotate(now: Date())
                if !rotated.isEmpty { logger.info("rotated amphora certificates", metadata: ["count": "\(rotated.count)"]) }
            } catch {
                logger.error("certificate rotation failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.interval) }
        }
    }

    /// Amphorae in service whose certificate expires before `now + expiryBuffer`.
    public func expiring(now: Date) async throws -> [Amphora] {
        let deadline = now.addingTimeInterval(Double(settings.expiryBuffer.components.seconds))
        let live: [StoredValue] = [AmphoraStatus.allocated, .ready].map { .string($0.rawValue) }
        return try await store.reader.list(Amphora.self, ListQuery(filters: [("status", .in(live))]))
            .filter { amphora in amphora.certExpiration.map { $0 < deadline } ?? false }
    }

    /// One round; returns the amphorae whose certificate was replaced. A failed amphora is logged
    /// and keeps its old expiry, so the next round tries it again.
    @discardableResult
    public func rotate(now: Date) async throws -> [Amphora.ID] {
        let due = try await expiring(now: now)
        var rotated: [Amphora.ID] = []
        await withTaskGroup(of: Amphora.ID?.self) { group in
            var running = 0
            for amphora in due {
                if running >= max(1, settings.concurrency), let done = await group.next() {
                    running -= 1
                    if let done { rotated.append(done) }
                }
                running += 1
                group.addTask { await rotateOne(amphora) }
            }
            for await done in group { if let done { rotated.append(done) } }
        }
        return rotated
    }

    func rotateOne(_ amphora: Amphora) async -> Amphora.ID? {
        do {
            let issued = try generator.issueAmphoraCertificate(for: amphora.id, validity: settings.validity)
            try await uploader.uploadServerCertificate(amphora, pem: issued.pem)
            try await store.write { tx in
                guard var row = try await tx.fetch(Amphora.self, id: amphora.id.rawValue) else { return }
                row.certExpiration = issued.expiresAt
                row.updatedAt = Date()
                try await tx.update(row)
            }
            logger.info("amphora certificate rotated", metadata: ["amphora": "\(amphora.id)", "expires": "\(issued.expiresAt)"])
            return amphora.id
        } catch {
            logger.error("amphora certificate rotation failed", metadata: ["amphora": "\(amphora.id)", "error": "\(error)"])
            return nil
        }
    }
}
