import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import NIOSSL
@testable import OctaviaAmphoraAgent
import Testing
import X509

/// The real application: HTTPS with mutual TLS on a Unix socket, as local amphorae run it.
@Suite("Agent mTLS over a Unix socket")
struct AgentTLSTests {
    /// A throwaway CA with one server and one client certificate, written as PEM files.
    struct TestPKI {
        var directory: String
        var serverPEM: String { directory + "/server.pem" }
        var caPEM: String { directory + "/ca.pem" }
        var clientCertificate: NIOSSLCertificate
        var clientKey: NIOSSLPrivateKey
        var caCertificate: NIOSSLCertificate

        init(directory: String, amphoraID: String) throws {
            self.directory = directory
            let caKey = P256.Signing.PrivateKey()
            let caName = try DistinguishedName { CommonName("agent test CA") }
            let now = Date()
            let ca = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
                                     notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: caName, subject: caName,
                                     signatureAlgorithm: .ecdsaWithSHA256,
                                     extensions: try Certificate.Extensions {
                                         Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                                         KeyUsage(keyCertSign: true)
                                     },
                                     issuerPrivateKey: .init(caKey))
            func leaf(_ name: String) throws -> (Certificate, P256.Signing.PrivateKey) {
                let key = P256.Signing.PrivateKey()
                let certificate = try Certificate(
                    version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                    notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: caName,
                    subject: try DistinguishedName { CommonName(name) }, signatureAlgorithm: .ecdsaWithSHA256,
                    extensions: try Certificate.Extensions {
                        Critical(BasicConstraints.notCertificateAuthority)
                        try ExtendedKeyUsage([.serverAuth, .clientAuth])
                        SubjectAlternativeNames([.dnsName(name)])
                    },
                    issuerPrivateKey: .init(caKey))
                return (certificate, key)
            }
            let (server, serverKey) = try leaf(amphoraID)
            let (client, clientKey) = try leaf("controller")
            try (server.serializeAsPEM().pemString + "\n" + serverKey.pemRepresentation + "\n")
                .write(toFile: directory + "/server.pem", atomically: true, encoding: .utf8)
            let caText = try ca.serializeAsPEM().pemString + "\n"
            try caText.write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
            clientCertificate = try NIOSSLCertificate(bytes: Array(client.serializeAsPEM().pemString.utf8), format: .pem)
            self.clientKey = try NIOSSLPrivateKey(bytes: Array(clientKey.pemRepresentation.utf8), format: .pem)
            caCertificate = try NIOSSLCertificate(bytes: Array(caText.utf8), format: .pem)
        }
    }

    @Test func requiresClientCertificateOnUnixSocket() async throws {
        // setup
        let base = try AgentTestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let amphoraID = "6f0b3d2c-aaaa-4bbb-8ccc-000000000001"
        let pki = try TestPKI(directory: base, amphoraID: amphoraID)
        let socket = base + "/agent.sock"
        try "stale".write(toFile: socket, atomically: true, encoding: .utf8)  // must be replaced
        let settings = AgentSettings(amphoraID: amphoraID, basePath: base, haproxyCommand: AgentTestSupport.haproxy,
                                     serverCertificatePath: pki.serverPEM, clientCAPath: pki.caPEM,
                                     unixSocketPath: socket, pidFile: base + "/agent.pid")
        let supervisor = HAProxySupervisor(settings: settings, logger: AgentTestSupport.logger)

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([pki.caCertificate])
        tls.certificateVerification = .noHostnameVerification
        var withCert = tls
        withCert.certificateChain = [.certificate(pki.clientCertificate)]
        withCert.privateKey = .privateKey(pki.clientKey)
        let url = try #require(URL(httpsURLWithSocketPath: socket, uri: "/")).absoluteString

        // MUT: wait for the listener, then ask with and without a client certificate; the agent is
        // stopped by graceful shutdown, and awaited, before the temp dir goes.
        let (status, text, anonymousAnswered, pidFileText) = try await AgentTestSupport.withAgent(
            settings, supervisor: supervisor, logger: AgentTestSupport.logger
        ) { [tls, withCert] () -> (UInt?, String, Bool, String?) in
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: withCert))
            let anonymous = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            var answer: HTTPClient.Response?
            for _ in 0..<100 {
                if let response = try? await client.get(url: url).get() { answer = response; break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            let anonymousResult = try? await anonymous.get(url: url).get()
            try await client.shutdown()
            try await anonymous.shutdown()
            let pidFileText = try? String(contentsOfFile: base + "/agent.pid", encoding: .utf8)
            return (answer?.status.code, answer?.body.map { String(buffer: $0) } ?? "", anonymousResult != nil, pidFileText)
        }

        // validate
        #expect(status == 200)
        #expect(text == #"{"api_version":"1.0"}"#)
        #expect(!anonymousAnswered)
        #expect(pidFileText == "\(getpid())\n")
        #expect(!FileManager.default.fileExists(atPath: base + "/agent.pid"), "a clean exit removes the pid file")
    }
}
