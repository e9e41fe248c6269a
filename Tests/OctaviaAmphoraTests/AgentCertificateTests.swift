import Crypto
import Foundation
import Logging
@testable import OctaviaAmphoraAgent
import OctaviaAmphoraDriver
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaSystem
import Testing

/// The agent's `/1.0/loadbalancer/{lb}/certificates/{file}` routes, the driver's calls to them, and
/// HAProxy loading the uploaded files.
@Suite("Agent certificate files", .serialized)
struct AgentCertificateTests {
    static let lbID = AgentRouterTests.lbID
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func putGetDelete() async throws {
        // setup
        let harness = try AgentRouterTests.Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let path = "/1.0/loadbalancer/\(Self.lbID)/certificates/0a1b-c2_d3.pem"
        let file = harness.base + "/certs/\(Self.lbID)/0a1b-c2_d3.pem"

        // MUT
        let missing = try await harness.send(.get, path)
        let put = try await harness.send(.put, path, body: Self.pem)
        let get = try await harness.send(.get, path)

        // validate
        #expect(missing.status == .notFound)
        #expect(try harness.json(missing.body)["message"] == "Certificate Not Found")
        let md5 = Insecure.MD5.hash(data: Data(Self.pem.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(put.status == .ok)
        #expect(put.headers[.eTag] == md5)
        #expect(get.status == .ok)
        #expect(try harness.json(get.body) == ["md5sum": md5])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == Self.pem)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // MUT: delete, twice (idempotent)
        #expect(try await harness.send(.delete, path).status == .ok)
        #expect(try await harness.send(.delete, path).status == .ok)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try await harness.send(.get, path).status == .notFound)
    }

    @Test(arguments: ["cert.crt", ".hidden.pem", "a..b.pem", "pem", "a%2Fb.pem", "ä.pem"])
    func badNamesAreRefused(_ name: String) async throws {
        let harness = try AgentRouterTests.Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let answer = try await harness.send(.put, "/1.0/loadbalancer/\(Self.lbID)/certificates/\(name)", body: Self.pem)
        #expect(answer.status == .badRequest)
        #expect(!FileManager.default.fileExists(atPath: harness.base + "/certs/\(Self.lbID)"))
    }

    @Test func deletingTheLoadBalancerRemovesItsCertificates() async throws {
        let harness = try AgentRouterTests.Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        #expect(try await harness.send(.put, "/1.0/loadbalancer/\(Self.lbID)/certificates/a.pem", body: Self.pem).status == .ok)
        #expect(try await harness.send(.delete, "/1.0/listeners/\(Self.lbID)").status == .ok)
        #expect(!FileManager.default.fileExists(atPath: harness.base + "/certs/\(Self.lbID)"))
    }

    @Test func fileDigestMatchesSwiftCrypto() {
        for text in ["", "a", "abc", String(repeating: "x", count: 55), String(repeating: "y", count: 56),
                     String(repeating: "z", count: 64), String(repeating: "pem\n", count: 1000), Self.pem] {
            let bytes = Data(text.utf8)
            #expect(FileDigest.md5Hex(text) == Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
            #expect(FileDigest.sha1Hex(text) == Insecure.SHA1.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        }
    }

    /// The driver uploads a certificate and a crt-list through mTLS; HAProxy serves that certificate.
    @Test(AgentTestSupport.needsHAProxy) func driverUploadsFilesHAProxyServes() async throws {
        try AgentTestSupport.requireHAProxy()
        // setup
        let fixture = try ClientTests.Fixture()
        defer { fixture.cleanUp() }
        let settings = try AgentDriverMTLSTests.settings(fixture)
        let supervisor = HAProxySupervisor(settings: settings, logger: AgentDriverMTLSTests.logger)
        let driver = try fixture.driver()
        let lbID = LoadBalancer.ID.generate()
        let agentLB = try #require(LoadBalancerID(lbID.rawValue))
        let paths = HAProxyPaths(basePath: settings.basePath, id: agentLB)
        let certificateDirectory = "\(settings.baseCertificateDirectory)/\(lbID)"
        let bundle = try await Self.selfSignedBundle(commonName: "www.example.com", in: fixture.directory)
        let frontendSocket = "\(fixture.directory)/tls.sock"
        let config = """
            global
                stats socket \(paths.statsSocket) mode 0600 level admin expose-fd listeners
            defaults
                mode http
                timeout connect 1s
                timeout client 2s
                timeout server 1s
            frontend fe
                bind unix@\(frontendSocket) ssl crt-list \(certificateDirectory)/list.pem
                http-request return status 200 content-type text/plain string "tls ok"

            """

        try await ClientTests.using(driver) {
            try await AgentTestSupport.withAgent(settings, supervisor: supervisor, logger: AgentDriverMTLSTests.logger) {
                try await driver.waitForAgent(fixture.amphora, timeout: .seconds(10))
                // MUT
                #expect(try await driver.certificateFileMD5(fixture.amphora, loadBalancerID: lbID, filename: "cert.pem") == nil)
                try await driver.uploadCertificateFile(fixture.amphora, loadBalancerID: lbID, filename: "cert.pem", pem: bundle)
                try await driver.uploadCertificateFile(
                    fixture.amphora, loadBalancerID: lbID, filename: "list.pem", pem: "\(certificateDirectory)/cert.pem\n")
                #expect(try await driver.certificateFileMD5(fixture.amphora, loadBalancerID: lbID, filename: "cert.pem")
                        == FileDigest.md5Hex(bundle))
                try await driver.applyHAProxyConfig(fixture.amphora, loadBalancerID: lbID, config: config)

                // validate: the uploaded certificate is the one served
                let served = try await SystemRunner().run([
                    "/usr/bin/curl", "-sS", "-k", "--max-time", "5", "--unix-socket", frontendSocket, "-w", " %{http_code}",
                    "https://www.example.com/",
                ])
                #expect(served.output.contains("tls ok 200"), "curl: \(served.output) \(served.error)")
                let subject = try await SystemRunner().run([
                    "/bin/sh", "-c",
                    "curl -skv --max-time 5 --unix-socket \(frontendSocket) https://www.example.com/ 2>&1 | grep -i 'subject:'",
                ])
                #expect(subject.output.contains("CN=www.example.com"), "\(subject.output)")

                // MUT: delete one file, then the load balancer (removes the directory)
                try await driver.deleteCertificateFile(fixture.amphora, loadBalancerID: lbID, filename: "list.pem")
                #expect(try await driver.certificateFileMD5(fixture.amphora, loadBalancerID: lbID, filename: "list.pem") == nil)
                try await driver.removeLoadBalancer(fixture.amphora, loadBalancerID: lbID)
                #expect(!FileManager.default.fileExists(atPath: certificateDirectory))
            }
        }
        #expect(await supervisor.runningMasterPIDs().isEmpty)
    }

    /// A self-signed EC certificate followed by its key, from the `openssl` CLI.
    static func selfSignedBundle(commonName: String, in directory: String) async throws -> String {
        let key = "\(directory)/tls.key", cert = "\(directory)/tls.crt"
        let result = try await SystemRunner().run([
            "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=DNS:\(commonName)",
            "-days", "2",
        ])
        try #require(result.status == 0, "openssl: \(result.error)")
        return try String(contentsOfFile: cert, encoding: .utf8) + String(contentsOfFile: key, encoding: .utf8)
    }
}
