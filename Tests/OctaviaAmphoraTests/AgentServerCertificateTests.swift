import Foundation
import Logging
import NIOSSL
@testable import OctaviaAmphoraAgent
import OctaviaAmphoraDriver
import OctaviaCore
import OctaviaSystem
import Testing

/// Agent certificate rotation end to end: the controller's `RESTAmphoraDriver` pushes a new server
/// certificate to the real agent over mTLS (`PUT /1.0/certificate`); new connections get it at once,
/// without an agent restart and without touching HAProxy; a bad body is refused and changes nothing.
@Suite("Agent server certificate rotation")
struct AgentServerCertificateTests {
    /// The driver through the protocol housekeeping's `CertificateRotation` uses.
    static func rotate(_ uploader: any AmphoraCertificateUploader, _ amphora: Amphora, pem: String) async throws {
        try await uploader.uploadServerCertificate(amphora, pem: pem)
    }

    /// The leaf the agent presents to a brand-new mTLS connection (`openssl s_client`, which must
    /// verify it against the controller's server CA).
    static func servedCertificate(_ fixture: ClientTests.Fixture) async throws -> NIOSSLCertificate {
        let client = fixture.directory + "/controller-client.pem", ca = fixture.directory + "/server-ca.pem"
        try fixture.authority.controllerClientPEM.write(toFile: client, atomically: true, encoding: .utf8)
        try fixture.authority.serverCAPEM.write(toFile: ca, atomically: true, encoding: .utf8)
        let result = try await SystemRunner().run([
            "/bin/sh", "-c",
            "openssl s_client -unix '\(fixture.socketPath)' -cert '\(client)' -key '\(client)' -CAfile '\(ca)' "
                + "-verify_return_error </dev/null 2>/dev/null | openssl x509",
        ])
        return try NIOSSLCertificate(bytes: Array(result.output.utf8), format: .pem)
    }

    /// Runs the real agent (serving the fixture's certificate) and the controller's driver around `body`,
    /// once the agent answers; stops both afterwards.
    static func withAgent(
        _ body: @Sendable (ClientTests.Fixture, AgentSettings, HAProxySupervisor, RESTAmphoraDriver) async throws -> Void
    ) async throws {
        let fixture = try ClientTests.Fixture()
        defer { fixture.cleanUp() }
        let settings = try AgentDriverMTLSTests.settings(fixture)
        let supervisor = HAProxySupervisor(settings: settings, logger: AgentDriverMTLSTests.logger)
        let driver = try fixture.driver()
        try await ClientTests.using(driver) {
            try await AgentTestSupport.withAgent(settings, supervisor: supervisor, logger: AgentDriverMTLSTests.logger) {
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
                try await body(fixture, settings, supervisor, driver)
            }
        }
        #expect(await supervisor.runningMasterPIDs().isEmpty)
    }

    static func leaf(_ pem: String) throws -> NIOSSLCertificate {
        try #require(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)).first)
    }

    @Test func newConnectionsGetTheRotatedCertificate() async throws {
        try await Self.withAgent { fixture, settings, _, driver in
            // setup: the agent serves certificate A (1 h); B is a fresh one for the same amphora (2 h).
            let certificateA = try Self.leaf(fixture.serverPEM)
            let issuedB = try fixture.authority.issueAmphoraCertificate(for: fixture.amphora.id, validity: .seconds(7200))
            let certificateB = try Self.leaf(issuedB.pem)
            #expect(certificateA.serialNumber != certificateB.serialNumber)
            #expect(try await Self.servedCertificate(fixture) == certificateA)

            // MUT
            try await Self.rotate(driver, fixture.amphora, pem: issuedB.pem)

            // validate: a new connection sees B (serial and expiry), verified against the server CA.
            let served = try await Self.servedCertificate(fixture)
            #expect(served.serialNumber == certificateB.serialNumber)
            #expect(served.notValidAfter == certificateB.notValidAfter)
            #expect(served.notValidAfter > certificateA.notValidAfter)
            // The driver's pooled connection (opened with A) and a fresh driver (new connection, B) both work.
            try await driver.waitForAgent(fixture.amphora, timeout: .seconds(5))
            let fresh = try fixture.driver()
            try await ClientTests.using(fresh) { try await fresh.waitForAgent(fixture.amphora, timeout: .seconds(5)) }
            // B is on disk, private: a restarted agent keeps it.
            #expect(try String(contentsOfFile: settings.serverCertificatePath, encoding: .utf8) == issuedB.pem)
            let attributes = try FileManager.default.attributesOfItem(atPath: settings.serverCertificatePath)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test func badBodiesAreRefusedAndChangeNothing() async throws {
        try await Self.withAgent { fixture, settings, _, driver in
            // setup: no PEM, a certificate without key, a key without certificate, A's certificate with another
            // key, and a good pair for another amphora (the controller would no longer accept us).
            let certificateA = try Self.leaf(fixture.serverPEM)
            let other = try fixture.authority.issueAmphoraCertificate(for: .generate(), validity: .seconds(3600)).pem
            let end = "-----END CERTIFICATE-----\n"
            let certificateOnly = other.components(separatedBy: end)[0] + end
            let keyOnly = try #require(other.components(separatedBy: end).last)
            let mismatched = fixture.serverPEM.components(separatedBy: end)[0] + end + keyOnly
            #expect(keyOnly.contains("PRIVATE KEY") && !keyOnly.contains("CERTIFICATE"))

            for body in ["", "not a certificate", certificateOnly, keyOnly, mismatched, other] {
                // MUT
                let error = await #expect(throws: AmphoraAgentError.self) {
                    try await Self.rotate(driver, fixture.amphora, pem: body)
                }
                // validate: 400, and the agent still serves A from an unchanged file.
                #expect(error == .rejected)
                #expect(error?.status == 400)
                #expect(try await Self.servedCertificate(fixture) == certificateA)
                #expect(try String(contentsOfFile: settings.serverCertificatePath, encoding: .utf8) == fixture.serverPEM)
            }
            // No temporary files were left beside the certificate.
            let directory = (settings.serverCertificatePath as NSString).deletingLastPathComponent
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).allSatisfy { !$0.contains(".tmp-") })
        }
    }

    /// HAProxy started by the agent keeps its process and serves the same answers across a rotation.
    @Test(AgentTestSupport.needsHAProxy) func haproxyKeepsServingAcrossARotation() async throws {
        try AgentTestSupport.requireHAProxy()
        try await Self.withAgent { fixture, settings, supervisor, driver in
            // setup: HAProxy answering on a Unix-socket frontend.
            let lbID = LoadBalancer.ID.generate()
            let agentLB = try #require(LoadBalancerID(lbID.rawValue))
            let frontend = "\(fixture.directory)/frontend.sock"
            let config = """
                global
                    stats socket \(HAProxyPaths(basePath: settings.basePath, id: agentLB).statsSocket) mode 0600 level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 2s
                    timeout server 1s
                frontend fe
                    bind unix@\(frontend)
                    http-request return status 200 content-type text/plain string "served"

                """
            let get = ["/usr/bin/curl", "-sS", "--max-time", "5", "--unix-socket", frontend, "-w", " %{http_code}", "http://lb/"]
            let issuedB = try fixture.authority.issueAmphoraCertificate(for: fixture.amphora.id, validity: .seconds(7200))
            try await driver.applyHAProxyConfig(fixture.amphora, loadBalancerID: lbID, config: config)
            let master = try #require(await supervisor.masterPID(agentLB))
            let before = try await SystemRunner().run(get)
            #expect(before.output == "served 200", "\(before.error)")

            // MUT
            try await Self.rotate(driver, fixture.amphora, pem: issuedB.pem)

            // validate: same HAProxy master, same answers; the agent still manages it over the new certificate.
            let after = try await SystemRunner().run(get)
            #expect(after.output == "served 200", "\(after.error)")
            #expect(await supervisor.masterPID(agentLB) == master)
            #expect(try await Self.servedCertificate(fixture).serialNumber == Self.leaf(issuedB.pem).serialNumber)
            try await driver.removeLoadBalancer(fixture.amphora, loadBalancerID: lbID)
        }
    }
}
