import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaLocalCerts
import Testing

@testable import OctaviaAmphoraDriver

@Suite("RESTAmphoraDriver")
struct ClientTests {
    /// One CA, an amphora with its server certificate, and the agent's socket path in a temp dir.
    struct Fixture {
        var directory: String
        var authority: LocalCertificateAuthority
        var amphora: Amphora
        var serverPEM: String
        var socketPath: String { "\(directory)/agent.sock" }

        init() throws {
            directory = try LocalCertsFixture.temporaryDirectory()
            authority = try LocalCertificateAuthority(directory: "\(directory)/ca")
            amphora = Amphora(loadBalancerID: .generate(), lbNetworkIP: "unix:\(directory)/agent.sock")
            serverPEM = try authority.issueAmphoraCertificate(for: amphora.id, validity: .seconds(3600)).pem
        }

        func driver(clientPEM: String? = nil, serverCAPEM: String? = nil) throws -> RESTAmphoraDriver {
            try RESTAmphoraDriver(
                clientPEM: clientPEM ?? authority.controllerClientPEM, serverCAPEM: serverCAPEM ?? authority.serverCAPEM,
                requestTimeout: .seconds(30), connectTimeout: .seconds(10), retryWindow: .seconds(3),
                logger: Logger(label: "test-driver"))
        }

        func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs `body`, then shuts `driver` down even when `body` throws (AsyncHTTPClient asserts on
    /// clients dropped without shutdown).
    static func using<T>(_ driver: RESTAmphoraDriver, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            try await driver.shutdown()
            return result
        } catch {
            try? await driver.shutdown()
            throw error
        }
    }

    @Test func mutualTLSOverUnixSocket() async throws {
        // setup
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let agent = ClientTestAgent(missingInterfaceAnswers: 2)
        let driver = try fixture.driver()
        let lbID = LoadBalancer.ID.generate()

        try await Self.using(driver) { try await agent.serve(at: .unixDomainSocket(path: fixture.socketPath), serverPEM: fixture.serverPEM,
                              clientCAPEM: fixture.authority.clientCAPEM) { _ in
            // MUT
            try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
            try await driver.plugVIP(fixture.amphora, VIPPlug(
                vip: "10.0.0.10", subnetCIDR: "10.0.0.0/24", gateway: "10.0.0.1", macAddress: "fa:16:3e:00:00:01",
                vrrpIP: "10.0.0.11"))
            try await driver.plugNetwork(fixture.amphora, NetworkPlug(
                macAddress: "fa:16:3e:00:00:02", ipAddress: "10.1.0.5", subnetCIDR: "10.1.0.0/24", gateway: nil))
            try await driver.applyHAProxyConfig(fixture.amphora, loadBalancerID: lbID, config: "global\n    daemon\n")
            try await driver.removeLoadBalancer(fixture.amphora, loadBalancerID: lbID)
        } }

        // validate
        let calls = await agent.calls
        let amp = fixture.amphora.id.rawValue, lb = lbID.rawValue
        #expect(calls.map { "\($0.method) \($0.path)" } == [
            "GET /",
            "POST /1.0/plug/vip/10.0.0.10",
            "POST /1.0/plug/network", "POST /1.0/plug/network", "POST /1.0/plug/network",
            "PUT /1.0/loadbalancer/\(amp)/\(lb)/haproxy",
            "PUT /1.0/loadbalancer/\(lb)/reload",
            "DELETE /1.0/listeners/\(lb)",
        ])
        #expect(calls.allSatisfy { $0.userAgent == AgentAPI.userAgent })
        #expect(calls[5].body == "global\n    daemon\n")
        let vip = try JSONDecoder().decode(PlugVIPRequest.self, from: Data(calls[1].body.utf8))
        #expect(vip == PlugVIPRequest(subnetCIDR: "10.0.0.0/24", gateway: "10.0.0.1", macAddress: "fa:16:3e:00:00:01",
                                      vrrpIP: "10.0.0.11", mtu: 1500))
        let network = try JSONDecoder().decode(PlugNetworkRequest.self, from: Data(calls[4].body.utf8))
        #expect(network.fixedIPs == [FixedIP(ipAddress: "10.1.0.5", subnetCIDR: "10.1.0.0/24", gateway: nil)])
    }

    @Test func invalidHAProxyConfigCarriesTheAgentDetails() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let agent = ClientTestAgent()
        let driver = try fixture.driver()

        let error = try await Self.using(driver) { try await agent.serve(at: .unixDomainSocket(path: fixture.socketPath), serverPEM: fixture.serverPEM,
                                          clientCAPEM: fixture.authority.clientCAPEM) { _ in
            try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
            return await #expect(throws: AmphoraAgentError.self) {
                try await driver.applyHAProxyConfig(fixture.amphora, loadBalancerID: .generate(), config: "invalid\n")
            }
        } }

        #expect(error == .rejected)
        #expect(error?.status == 400)
        #expect(error?.amphoraID == fixture.amphora.id)
        #expect(error?.details?.contains("unknown keyword 'invalid'") == true)
        // No reload after a rejected configuration.
        #expect(await agent.calls.map(\.method) == ["GET", "PUT"])
    }

    @Test func clientWithoutCertificateIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let agent = ClientTestAgent()
        let driver = try fixture.driver()

        try await Self.using(driver) { try await agent.serve(at: .unixDomainSocket(path: fixture.socketPath), serverPEM: fixture.serverPEM,
                              clientCAPEM: fixture.authority.clientCAPEM) { _ in
            try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
            // A client that trusts the server but presents no certificate.
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
        } }
        #expect(await agent.calls.count == 1)
    }

    @Test func clientCertificateFromAnotherCAIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let foreign = try LocalCertificateAuthority(directory: "\(fixture.directory)/foreign")
        let agent = ClientTestAgent()
        let intruder = try fixture.driver(clientPEM: foreign.controllerClientPEM)

        try await Self.using(intruder) { try await agent.serve(at: .unixDomainSocket(path: fixture.socketPath), serverPEM: fixture.serverPEM,
                              clientCAPEM: fixture.authority.clientCAPEM) { _ in
            let error = await #expect(throws: AmphoraAgentError.self) {
                try await intruder.waitForAgent(fixture.amphora, timeout: .seconds(1))
            }
            #expect(error == .unreachable)
            #expect(error?.amphoraID == fixture.amphora.id)
            #expect(error?.description.contains(fixture.amphora.id.rawValue) == true)
        } }
        #expect(await agent.calls.isEmpty)
    }

    @Test func serverFromAnotherCAIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let foreign = try LocalCertificateAuthority(directory: "\(fixture.directory)/foreign")
        let impostorPEM = try foreign.issueAmphoraCertificate(for: fixture.amphora.id, validity: .seconds(60)).pem
        let agent = ClientTestAgent()
        let driver = try fixture.driver()

        try await Self.using(driver) { try await agent.serve(at: .unixDomainSocket(path: fixture.socketPath), serverPEM: impostorPEM,
                              clientCAPEM: fixture.authority.clientCAPEM) { _ in
            let error = await #expect(throws: AmphoraAgentError.self) {
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(1))
            }
            #expect(error == .unreachable)
        } }
        #expect(await agent.calls.isEmpty)
    }

    @Test func ipEndpointVerifiesTheAmphoraID() async throws {
        // setup: the agent on loopback TCP with the certificate of `fixture.amphora`.
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let agent = ClientTestAgent()

        try await agent.serve(at: .hostname("127.0.0.1", port: 0), serverPEM: fixture.serverPEM,
                              clientCAPEM: fixture.authority.clientCAPEM) { port in
            let port = try #require(port)
            let driver = try RESTAmphoraDriver(
                clientPEM: fixture.authority.controllerClientPEM, serverCAPEM: fixture.authority.serverCAPEM,
                retryWindow: .seconds(1), agentPort: port, logger: Logger(label: "test-driver"))
            var amphora = fixture.amphora
            amphora.lbNetworkIP = "127.0.0.1"
            try await Self.using(driver) {
            // MUT + validate: the right amphora id is accepted…
            try await driver.waitForAgent(amphora, timeout: .seconds(10))
            // …another amphora's id at the same address is not.
            var other = amphora
            other.id = .generate()
            let error = await #expect(throws: AmphoraAgentError.self) {
                try await driver.waitForAgent(other, timeout: .seconds(1))
            }
            #expect(error == .unreachable)
            }
        }
        #expect(await agent.calls.count == 1)
    }

    @Test func waitForAgentTimesOutNamingTheAmphora() async throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let driver = try fixture.driver()
        let started = ContinuousClock.now

        let error = try await Self.using(driver) {
            await #expect(throws: AmphoraAgentError.self) {
                try await driver.waitForAgent(fixture.amphora, timeout: .milliseconds(600))
            }
        }

        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(error == .unreachable)
        #expect(error?.description.contains(fixture.amphora.id.rawValue) == true)
        #expect(error?.path == "/")
    }

    @Test(arguments: [
        ("unix:/run/octavia/amp 1.sock", "https+unix://%2Frun%2Foctavia%2Famp%201.sock/1.0/info"),
        ("192.0.2.10", "https://AMP:9443/1.0/info"),
        ("2001:db8::5", "https://AMP:9443/1.0/info"),
        ("[2001:db8::5]", "https://AMP:9443/1.0/info"),
    ])
    func endpointURLs(lbNetworkIP: String, expected: String) throws {
        let amphora = Amphora(loadBalancerID: nil, lbNetworkIP: lbNetworkIP)
        let url = try AgentEndpoint(amphora).url(for: AgentAPI.Path.info, amphora: amphora.id, port: 9443)
        #expect(url == expected.replacingOccurrences(of: "AMP", with: amphora.id.rawValue))
    }

    @Test func endpointDisplayBracketsIPv6() throws {
        #expect(try AgentEndpoint(Amphora(loadBalancerID: nil, lbNetworkIP: "2001:db8::5")).display(port: 9443)
                == "[2001:db8::5]:9443")
        #expect(try AgentEndpoint(Amphora(loadBalancerID: nil, lbNetworkIP: "192.0.2.1")).display(port: 9443)
                == "192.0.2.1:9443")
    }

    @Test(arguments: [nil, "", "not-an-address", "unix:relative.sock"])
    func invalidEndpointsAreRejected(lbNetworkIP: String?) throws {
        let amphora = Amphora(loadBalancerID: nil, lbNetworkIP: lbNetworkIP)
        let error = #expect(throws: AmphoraAgentError.self) { try AgentEndpoint(amphora) }
        #expect(error == .invalidEndpoint)
        #expect(error?.amphoraID == amphora.id)
    }

    @Test func badCredentialsAreRejectedAtInit() throws {
        let error = #expect(throws: AmphoraAgentError.self) {
            try RESTAmphoraDriver(clientPEM: "nothing", serverCAPEM: "nothing", logger: Logger(label: "test"))
        }
        #expect(error == .invalidCredentials)
    }
}
