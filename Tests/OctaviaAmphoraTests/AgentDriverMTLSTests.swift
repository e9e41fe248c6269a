import AsyncHTTPClient
import Foundation
import Logging
import NIOSSL
@testable import OctaviaAmphoraAgent
import OctaviaAmphoraDriver
import OctaviaCore
import OctaviaLocalCerts
import OctaviaSystem
import ServiceLifecycle
import Testing

/// The controller's real client (`RESTAmphoraDriver`) against the real agent application
/// (`makeAgentApplication`) over mutual TLS on a Unix socket, with certificates from the
/// controller's `LocalCertificateAuthority`: proves the two sides agree on TLS, paths and answers.
@Suite("Agent with the controller's driver over mTLS")
struct AgentDriverMTLSTests {
    /// Writes the agent's PEM files into the `ClientTests.Fixture` directory and builds its settings.
    static func settings(_ fixture: ClientTests.Fixture) throws -> AgentSettings {
        let serverPEMPath = fixture.directory + "/agent-server.pem"
        let clientCAPath = fixture.directory + "/agent-client-ca.pem"
        try fixture.serverPEM.write(toFile: serverPEMPath, atomically: true, encoding: .utf8)
        try fixture.authority.clientCAPEM.write(toFile: clientCAPath, atomically: true, encoding: .utf8)
        let base = fixture.directory + "/base"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        return AgentSettings(amphoraID: fixture.amphora.id.rawValue, basePath: base, haproxyCommand: AgentTestSupport.haproxy,
                             serverCertificatePath: serverPEMPath, clientCAPath: clientCAPath,
                             unixSocketPath: fixture.socketPath, topology: .activeStandby)
    }

    static var logger: Logger {
        var logger = Logger(label: "agent-mtls-test")
        logger.logLevel = .critical
        return logger
    }

    @Test func driverReachesTheAgent() async throws {
        // setup
        let fixture = try ClientTests.Fixture()
        defer { fixture.cleanUp() }
        let settings = try Self.settings(fixture)
        let supervisor = HAProxySupervisor(settings: settings, logger: Self.logger)
        let driver = try fixture.driver()

        let unknown = LoadBalancer.ID.generate()
        let unknownAgentID = try #require(LoadBalancerID(unknown.rawValue))

        // MUT: waitForAgent retries until the socket listens, then checks api_version 1.0.
        try await ClientTests.using(driver) {
            try await AgentTestSupport.withAgent(settings, supervisor: supervisor, logger: Self.logger) {
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
                // Removing or stopping a load balancer the agent never had is harmless.
                try await driver.removeLoadBalancer(fixture.amphora, loadBalancerID: unknown)
                _ = await supervisor.stop(unknownAgentID)
            }
        }

        // validate: no HAProxy was started and nothing was created for the unknown id.
        #expect(await supervisor.runningMasterPIDs().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: settings.basePath).isEmpty)
    }

    @Test func clientsWithoutTheControllerCertificateAreRefused() async throws {
        // setup
        let fixture = try ClientTests.Fixture()
        defer { fixture.cleanUp() }
        let settings = try Self.settings(fixture)
        let supervisor = HAProxySupervisor(settings: settings, logger: Self.logger)
        let driver = try fixture.driver()
        let foreign = try LocalCertificateAuthority(directory: "\(fixture.directory)/foreign")
        let intruder = try fixture.driver(clientPEM: foreign.controllerClientPEM)

        try await ClientTests.using(driver) { try await ClientTests.using(intruder) {
            try await AgentTestSupport.withAgent(settings, supervisor: supervisor, logger: Self.logger) {
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))

                // MUT 1: a client that trusts the agent but presents no certificate.
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(fixture.authority.serverCAPEM.utf8)))
                tls.certificateVerification = .noHostnameVerification
                let anonymous = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                           configuration: .init(tlsConfiguration: tls))
                let url = try #require(URL(httpsURLWithSocketPath: fixture.socketPath, uri: "/")).absoluteString
                await #expect(throws: (any Error).self) {
                    let response = try await anonymous.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
                    _ = try await response.body.collect(upTo: 1024)
                }
                try await anonymous.shutdown()

                // MUT 2: a client certificate issued by another CA.
                let error = await #expect(throws: AmphoraAgentError.self) {
                    try await intruder.waitForAgent(fixture.amphora, timeout: .seconds(1))
                }
                #expect(error == .unreachable)

                // The agent still serves the controller afterwards.
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(5))
            }
        } }
    }

    @Test(AgentTestSupport.needsHAProxy) func driverAppliesAndRemovesARealConfiguration() async throws {
        try AgentTestSupport.requireHAProxy()
        // setup
        let fixture = try ClientTests.Fixture()
        defer { fixture.cleanUp() }
        let settings = try Self.settings(fixture)
        let supervisor = HAProxySupervisor(settings: settings, logger: Self.logger)
        let driver = try fixture.driver()
        let lbID = LoadBalancer.ID.generate()
        let agentLB = try #require(LoadBalancerID(lbID.rawValue))
        let paths = HAProxyPaths(basePath: settings.basePath, id: agentLB)
        // A Unix-socket frontend: no port to pick, nothing else on the host is touched.
        let config = """
            global
                stats socket \(paths.statsSocket) mode 0600 level admin expose-fd listeners
                server-state-file \(paths.serversState)
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            frontend fe
                bind unix@\(paths.directory)/frontend.sock
                http-request return status 200

            """

        let master = try await ClientTests.using(driver) {
            try await AgentTestSupport.withAgent(settings, supervisor: supervisor, logger: Self.logger) { () -> Int32? in
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
                // MUT: upload (the driver checks the 2xx answer) and reload (starts HAProxy).
                try await driver.applyHAProxyConfig(fixture.amphora, loadBalancerID: lbID, config: config)
                let master = await supervisor.masterPID(agentLB)
                #expect(master != nil)
                #expect(await supervisor.config(for: agentLB) == config)
                // MUT: remove stops HAProxy and deletes the files.
                try await driver.removeLoadBalancer(fixture.amphora, loadBalancerID: lbID)
                #expect(await supervisor.masterPID(agentLB) == nil)
                #expect(!FileManager.default.fileExists(atPath: paths.directory))
                return master
            }
        }

        // validate: the master we saw is gone (a zombie counts as gone), nothing left running.
        if let master { #expect(!ProcessTable.isRunning(master)) }
        #expect(await supervisor.runningMasterPIDs().isEmpty)
    }
}
