import Crypto
import Foundation
import OctaviaCore
import OctaviaLocalCerts
import SwiftASN1
import Testing
import X509

/// The local certificate manager with real PEM made in the test (swift-certificates).
@Suite struct LocalCertificateManagerTests {
    static let project = ProjectID("p1")

    /// A self-signed certificate for `name` and its key, both PEM.
    static func selfSigned(_ name: String, isCA: Bool = false) throws -> (cert: String, key: String) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey,
            notValidBefore: Date() - 60, notValidAfter: Date() + 86400, issuer: subject, subject: subject,
            extensions: try Certificate.Extensions {
                if isCA { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) }
                SubjectAlternativeNames([.dnsName(name)])
            },
            issuerPrivateKey: key)
        return (try certificate.serializeAsPEM().pemString + "\n", try key.serializeAsPEM().pemString + "\n")
    }

    static func withManager(_ body: (LocalCertificateManager, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lcm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await body(LocalCertificateManager(directory: dir), dir)
    }

    @Test func addedCertificateResolvesWithKeyAndIntermediates() async throws {
        try await Self.withManager { manager, dir in
            let leaf = try Self.selfSigned("www.example.test")
            let chain = try Self.selfSigned("Intermediate", isCA: true)
            let ref = try manager.addCertificate(certificatePEM: leaf.cert, privateKeyPEM: leaf.key, intermediatesPEM: chain.cert)
            #expect(UUID(uuidString: ref) != nil)
            let bundle = try await manager.certificate(ref, project: Self.project)
            #expect(bundle.reference == ref)
            #expect(bundle.certificatePEM == leaf.cert)
            #expect(bundle.intermediatesPEM == [chain.cert])
            #expect(bundle.combinedPEM.hasPrefix(leaf.cert + chain.cert))
            let mode = try FileManager.default.attributesOfItem(atPath: "\(dir)/\(ref).key")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let entry = try manager.entry(ref.uppercased())
            #expect(entry.kind == .certificate && entry.dnsNames == ["www.example.test"] && entry.intermediates == 1)
            #expect(try manager.entries().map(\.reference) == [ref])
            // A certificate entry also serves as a CA bundle.
            #expect(try await manager.secret(ref, project: Self.project) == leaf.cert + chain.cert)
        }
    }

    @Test func keyMustMatchTheCertificate() async throws {
        try await Self.withManager { manager, _ in
            let a = try Self.selfSigned("a.test"), b = try Self.selfSigned("b.test")
            #expect {
                try manager.addCertificate(certificatePEM: a.cert, privateKeyPEM: b.key)
            } throws: { error in
                guard case CertificateManagerError.unreadable(_, let reason)? = error as? CertificateManagerError else { return false }
                return reason == "the private key does not match the certificate"
            }
            #expect(throws: CertificateManagerError.self) {
                try manager.addCertificate(certificatePEM: "not pem", privateKeyPEM: a.key)
            }
            #expect(try manager.entries().isEmpty)
        }
    }

    @Test func unknownAndNonUUIDReferencesAreNotFound() async throws {
        try await Self.withManager { manager, _ in
            let missing = UUID().uuidString
            await #expect(throws: CertificateManagerError.notFound(reference: missing)) {
                try await manager.certificate(missing, project: Self.project)
            }
            await #expect(throws: CertificateManagerError.notFound(reference: "../../etc/passwd")) {
                try await manager.secret("../../etc/passwd", project: Self.project)
            }
        }
    }

    @Test func secretsAndDelete() async throws {
        try await Self.withManager { manager, _ in
            let ca = try Self.selfSigned("Client CA", isCA: true)
            let ref = try manager.addSecret(ca.cert)
            #expect(try await manager.secret(ref, project: Self.project) == ca.cert)
            #expect(try manager.entry(ref).kind == .secret)
            await #expect(throws: CertificateManagerError.self) { try await manager.certificate(ref, project: Self.project) }
            #expect(throws: CertificateManagerError.self) { try manager.addSecret("hello") }
            try manager.delete(ref)
            #expect(throws: CertificateManagerError.notFound(reference: ref)) { try manager.delete(ref) }
        }
    }

    @Test func corruptStoredKeyIsUnreadable() async throws {
        try await Self.withManager { manager, dir in
            let leaf = try Self.selfSigned("x.test")
            let ref = try manager.addCertificate(certificatePEM: leaf.cert, privateKeyPEM: leaf.key)
            try "garbage".write(toFile: "\(dir)/\(ref).key", atomically: true, encoding: .utf8)
            await #expect {
                try await manager.certificate(ref, project: Self.project)
            } throws: { error in
                if case CertificateManagerError.unreadable? = error as? CertificateManagerError { return true }
                return false
            }
        }
    }
}
