import Crypto
import Foundation
import OctaviaCore
import SwiftASN1
import Testing
import X509

@testable import OctaviaLocalCerts

@Suite("LocalCertificateAuthority")
struct LocalCertsTests {
    @Test func createsFilesWithPrivateKeyPermissions() throws {
        // setup
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // MUT
        _ = try LocalCertificateAuthority(directory: "\(directory)/certs")
        // validate
        #expect(try LocalCertsFixture.mode("\(directory)/certs/ca.key") == 0o600)
        #expect(try LocalCertsFixture.mode("\(directory)/certs/client.pem") == 0o600)
        #expect(try LocalCertsFixture.mode("\(directory)/certs") == 0o700)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/certs/ca.pem"))
    }

    @Test func reloadGivesTheSameAuthority() async throws {
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try LocalCertificateAuthority(directory: directory)
        let second = try LocalCertificateAuthority(directory: directory)
        #expect(first.serverCAPEM == second.serverCAPEM)
        #expect(first.clientCAPEM == second.serverCAPEM)
        #expect(first.controllerClientPEM == second.controllerClientPEM)
        // A certificate issued before the restart chains to the reloaded CA.
        let id = Amphora.ID.generate()
        let issued = try first.issueAmphoraCertificate(for: id, validity: .seconds(3600))
        let leaf = try LocalCertsFixture.certificate(issued.pem)
        #expect(try await LocalCertsFixture.verify(leaf, ca: second.serverCAPEM, hostname: id.rawValue))
    }

    @Test func amphoraCertificateNamesTheAmphoraAndChainsToTheCA() async throws {
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try LocalCertificateAuthority(directory: directory)
        let id = Amphora.ID.generate()
        let before = Date()

        let issued = try authority.issueAmphoraCertificate(for: id, validity: .seconds(86400))

        let leaf = try LocalCertsFixture.certificate(issued.pem)
        #expect(leaf.subject.description.contains("CN=\(id.rawValue)"))
        #expect(try leaf.extensions.subjectAlternativeNames == SubjectAlternativeNames([.dnsName(id.rawValue)]))
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(abs(issued.expiresAt.timeIntervalSince(before) - 86400) < 60)
        #expect(leaf.notValidAfter == issued.expiresAt)
        let key = try LocalCertsFixture.privateKey(issued.pem)
        #expect(key.publicKey == leaf.publicKey)
        #expect(P256.Signing.PublicKey(leaf.publicKey) != nil)
        #expect(try await LocalCertsFixture.verify(leaf, ca: authority.serverCAPEM, hostname: id.rawValue))
        #expect(try await !LocalCertsFixture.verify(leaf, ca: authority.serverCAPEM, hostname: "other-amphora"))
    }

    @Test func controllerClientCertificateIsForClientAuth() async throws {
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try LocalCertificateAuthority(directory: directory)

        let client = try LocalCertsFixture.certificate(authority.controllerClientPEM)

        #expect(client.subject.description.contains("CN=octavia-controller"))
        #expect(try client.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(try LocalCertsFixture.privateKey(authority.controllerClientPEM).publicKey == client.publicKey)
        #expect(try await LocalCertsFixture.verify(client, ca: authority.clientCAPEM, hostname: nil))
        #expect(try String(contentsOfFile: "\(directory)/client.pem", encoding: .utf8) == authority.controllerClientPEM)
    }

    @Test func anotherAuthorityDoesNotVerify() async throws {
        let one = try LocalCertsFixture.temporaryDirectory(), two = try LocalCertsFixture.temporaryDirectory()
        defer { for d in [one, two] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try LocalCertificateAuthority(directory: one), second = try LocalCertificateAuthority(directory: two)
        #expect(first.serverCAPEM != second.serverCAPEM)
        let id = Amphora.ID.generate()
        let leaf = try LocalCertsFixture.certificate(first.issueAmphoraCertificate(for: id, validity: .seconds(60)).pem)
        #expect(try await !LocalCertsFixture.verify(leaf, ca: second.serverCAPEM, hostname: id.rawValue))
    }

    @Test func missingKeyIsReportedWithTheFile() throws {
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try LocalCertificateAuthority(directory: directory)
        try FileManager.default.removeItem(atPath: "\(directory)/ca.key")

        let error = #expect(throws: LocalCertificateError.self) { try LocalCertificateAuthority(directory: directory) }
        #expect(error == .incompleteAuthority)
        #expect(error?.path == "\(directory)/ca.key")
        #expect(error?.description.contains("ca.key") == true)
    }

    @Test func corruptCertificateIsReportedWithTheFile() throws {
        let directory = try LocalCertsFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try LocalCertificateAuthority(directory: directory)
        try "not a certificate\n".write(toFile: "\(directory)/ca.pem", atomically: true, encoding: .utf8)

        let error = #expect(throws: LocalCertificateError.self) { try LocalCertificateAuthority(directory: directory) }
        #expect(error == .invalidPEM)
        #expect(error?.path == "\(directory)/ca.pem")
    }

    @Test func staleClientCertificateIsReissued() throws {
        let directory = try LocalCertsFixture.temporaryDirectory(), other = try LocalCertsFixture.temporaryDirectory()
        defer { for d in [directory, other] { try? FileManager.default.removeItem(atPath: d) } }
        let authority = try LocalCertificateAuthority(directory: directory)
        let foreign = try LocalCertificateAuthority(directory: other)
        try foreign.controllerClientPEM.write(toFile: "\(directory)/client.pem", atomically: true, encoding: .utf8)

        let reloaded = try LocalCertificateAuthority(directory: directory)

        #expect(reloaded.serverCAPEM == authority.serverCAPEM)
        #expect(reloaded.controllerClientPEM != foreign.controllerClientPEM)
        #expect(try LocalCertsFixture.mode("\(directory)/client.pem") == 0o600)
    }
}

/// Helpers shared by the certificate and client tests.
enum LocalCertsFixture {
    /// A fresh directory under /tmp, short enough for Unix socket paths.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/octavia-test-XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: result)
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func certificate(_ pem: String) throws -> Certificate {
        let block = try #require(PEMDocument.parseMultiple(pemString: pem).first { $0.discriminator == "CERTIFICATE" })
        return try Certificate(pemDocument: block)
    }

    static func privateKey(_ pem: String) throws -> Certificate.PrivateKey {
        let block = try #require(PEMDocument.parseMultiple(pemString: pem).first { $0.discriminator.hasSuffix("PRIVATE KEY") })
        return try Certificate.PrivateKey(pemDocument: block)
    }

    /// The PEM blocks of `pem` (certificates and keys), each as its own PEM string.
    static func blocks(_ pem: String, _ discriminator: String) throws -> [String] {
        try PEMDocument.parseMultiple(pemString: pem).filter { $0.discriminator == discriminator }.map(\.pemString)
    }

    /// RFC 5280 path validation to `ca`, plus the server-name check when `hostname` is given.
    static func verify(_ leaf: Certificate, ca: String, hostname: String?) async throws -> Bool {
        let root = try certificate(ca)
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy()
            if let hostname { ServerIdentityPolicy(serverHostname: hostname, serverIP: nil) }
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore()) {
        case .validCertificate: return true
        case .couldNotValidate: return false
        }
    }
}
