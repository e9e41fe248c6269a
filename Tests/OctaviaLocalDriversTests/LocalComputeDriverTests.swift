import Foundation
import OctaviaCore
import OctaviaSystem
import Testing
@testable import OctaviaLocalDrivers

/// Builds and deletes namespace amphorae with a stand-in agent (a shell script), as root.
@Suite(.serialized) struct LocalComputeDriverTests {
    let suffix = Fixtures.suffix()
    var prefix: String { "octt-\(suffix)-" }
    var root: String { NSTemporaryDirectory() + "octt-compute-\(suffix)" }

    /// Writes a stand-in agent: records its pid where the config says, marks its /var/lib/octavia, sleeps.
    func standIn(_ name: String, body: String) throws -> String {
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        let path = root + "/bin/" + name
        let script = """
            #!/bin/sh
            conf="$2"
            pidfile=$(sed -n 's/^agent_pid_file = //p' "$conf")
            \(body)
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func makeDriver(agent: String, bootTimeout: Duration = .seconds(10)) -> LocalComputeDriver {
        LocalComputeDriver(statePath: root + "/state", agentCommand: agent, namespacePrefix: prefix, bootTimeout: bootTimeout,
                           logger: Fixtures.logger)
    }

    func request() -> AmphoraBuildRequest {
        AmphoraBuildRequest(amphoraID: .generate(), loadBalancerID: .generate(),
                            serverCertificatePEM: "-----BEGIN CERTIFICATE-----\nserver\n", clientCAPEM: "-----BEGIN CERTIFICATE-----\nca\n")
    }

    /// Removes whatever a failed test left: our namespaces (after killing what runs in them) and the temp dir.
    func cleanup() async {
        let driver = makeDriver(agent: "/bin/true")
        for namespace in (try? await driver.listNamespaces()) ?? [] {
            try? await driver.delete(computeID: namespace)
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    static func field(_ pid: Int32, _ index: Int) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return index - 3 < fields.count ? String(fields[index - 3]) : nil
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func buildStartsADetachedAgentAndDeleteRemovesEverything() async throws {
        try Dataplane.require()
        let agent = try standIn("agent", body: """
            echo $$ > "$pidfile"
            echo "private disk" > /var/lib/octavia/marker
            echo "agent up: $*"
            exec sleep 600
            """)
        let driver = makeDriver(agent: agent)
        let request = request()
        try await Dataplane.withCleanup {
            let instance = try await driver.build(request)
            let dir = root + "/state/\(request.amphoraID)"
            #expect(instance.computeID == prefix + request.amphoraID.rawValue)
            #expect(instance.agentEndpoint == "unix:\(dir)/agent.sock")
            #expect(try await driver.status(computeID: instance.computeID) == .active)
            #expect(try await driver.listNamespaces() == [instance.computeID])

            // Files: config, certificates (server key private), the private /var/lib/octavia.
            let conf = try String(contentsOfFile: dir + "/amphora-agent.conf", encoding: .utf8)
            #expect(conf.contains("amphora_id = \(request.amphoraID)"))
            #expect(conf.contains("agent_server_cert = \(dir)/certs/server.pem"))
            #expect(conf.contains("agent_server_ca = \(dir)/certs/client_ca.pem"))
            #expect(conf.contains("base_path = /var/lib/octavia"))
            #expect(conf.contains("agent_socket = \(dir)/agent.sock"))
            #expect(conf.contains("agent_pid_file = \(dir)/agent.pid"))
            let keyMode = try FileManager.default.attributesOfItem(atPath: dir + "/certs/server.pem")[.posixPermissions] as? Int
            #expect(keyMode == 0o600)
            #expect(try String(contentsOfFile: dir + "/certs/client_ca.pem", encoding: .utf8) == request.clientCAPEM)
            // The script writes the marker right after its pid file: give it a moment.
            var marker: String?
            for _ in 0..<40 where marker == nil {
                marker = try? String(contentsOfFile: dir + "/octavia/marker", encoding: .utf8)
                if marker == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(marker == "private disk\n")
            #expect(!FileManager.default.fileExists(atPath: "/var/lib/octavia/marker"))

            // Detached: own session, not our child, inside its namespace.
            let pid = try #require(ProcessTable.readPIDFile(dir + "/agent.pid"))
            #expect(Self.field(pid, 6) == String(pid))
            #expect(Self.field(pid, 4) != String(getpid()))
            #expect(try await driver.ip.identify(pid: pid) == instance.computeID)
            #expect(try String(contentsOfFile: dir + "/agent.log", encoding: .utf8).contains("--config-file \(dir)/amphora-agent.conf"))

            // Building the same amphora again is a no-op.
            #expect(try await driver.build(request) == instance)
            #expect(ProcessTable.readPIDFile(dir + "/agent.pid") == pid)

            try await driver.delete(computeID: instance.computeID)
            #expect(!ProcessTable.isRunning(pid))
            #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(instance.computeID)"))
            #expect(!FileManager.default.fileExists(atPath: dir))
            #expect(try await driver.status(computeID: instance.computeID) == .missing)
            try await driver.delete(computeID: instance.computeID)
            #expect(try await driver.listNamespaces().isEmpty)
        } cleanup: {
            await cleanup()
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func deleteKillsAnAgentThatIgnoresSIGTERM() async throws {
        try Dataplane.require()
        let agent = try standIn("stubborn", body: """
            trap '' TERM
            echo $$ > "$pidfile"
            exec sleep 600
            """)
        let driver = makeDriver(agent: agent)
        try await Dataplane.withCleanup {
            let instance = try await driver.build(request())
            let pids = try await driver.ip.pids(in: instance.computeID)
            #expect(!pids.isEmpty)
            try await driver.delete(computeID: instance.computeID)
            for pid in pids { #expect(!ProcessTable.isRunning(pid)) }
            #expect(try await driver.status(computeID: instance.computeID) == .missing)
        } cleanup: {
            await cleanup()
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func statusIsErrorWhenTheAgentDied() async throws {
        try Dataplane.require()
        let agent = try standIn("agent", body: """
            echo $$ > "$pidfile"
            exec sleep 600
            """)
        let driver = makeDriver(agent: agent)
        try await Dataplane.withCleanup {
            let request = request()
            let instance = try await driver.build(request)
            let pid = try #require(ProcessTable.readPIDFile(root + "/state/\(request.amphoraID)/agent.pid"))
            ProcessTable.signal(pid, SIGKILL)
            #expect(await ProcessTable.waitForExit(pid, timeout: .seconds(5)))
            #expect(try await driver.status(computeID: instance.computeID) == .error)
            try await driver.delete(computeID: instance.computeID)
        } cleanup: {
            await cleanup()
        }
    }

    @Test(.enabled(if: Dataplane.shouldRun)) func failedBootsLeaveNothingBehind() async throws {
        try Dataplane.require()
        let crashing = try standIn("crash", body: "echo 'boom: cannot bind' >&2; exit 3")
        try await Dataplane.withCleanup { () async throws in
            let driver = makeDriver(agent: crashing)
            let request = request()
            let failure = await #expect(throws: LocalDriverError.self) { try await driver.build(request) }
            let message = failure?.message ?? ""
            #expect(message.contains("boom: cannot bind"))
            #expect(try await driver.listNamespaces().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: root + "/state/\(request.amphoraID)"))

            let missing = makeDriver(agent: root + "/bin/no-such-agent --debug")
            await #expect(throws: LocalDriverError.self) { try await missing.build(request) }
            #expect(try await missing.listNamespaces().isEmpty)
        } cleanup: {
            await cleanup()
        }
    }

    @Test func refusesComputeIDsThatAreNotOurs() async throws {
        let driver = makeDriver(agent: "/bin/true")
        await #expect(throws: LocalDriverError.self) { try await driver.delete(computeID: "dp-sw") }
        await #expect(throws: LocalDriverError.self) { try await driver.status(computeID: prefix + "../../etc") }
    }
}
