import Foundation
@testable import OctaviaAmphoraAgent
import OctaviaSystem
import Testing

/// Drives the real /usr/sbin/haproxy through upload, start, reload and stop on loopback.
@Suite("HAProxySupervisor against real HAProxy", .serialized)
struct AgentHAProxySupervisorTests {
    let id = LoadBalancerID("3c9a0f4e-1b9e-4d8b-9a51-7f0c3f1d2a11")!

    func makeSupervisor(base: String) -> HAProxySupervisor {
        var timeouts = HAProxySupervisor.Timeouts()
        timeouts.stopGrace = .seconds(3)
        return HAProxySupervisor(basePath: base, haproxyCommand: AgentTestSupport.haproxy,
                                 amphoraID: "6f0b3d2c-aaaa-4bbb-8ccc-000000000001", topology: .activeStandby,
                                 timeouts: timeouts, logger: AgentTestSupport.logger)
    }

    @Test(AgentTestSupport.needsHAProxy) func uploadStartReloadStop() async throws {
        try AgentTestSupport.requireHAProxy()
        // setup
        let base = try AgentTestSupport.makeTempDirectory()
        let backend = BackendServer()
        let supervisor = makeSupervisor(base: base)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let backendPort = try await backend.start()
        let frontendPort = try AgentTestSupport.freePort()
        let v1 = AgentTestSupport.haproxyConfig(base: base, id: id, frontendPort: frontendPort, backendPort: backendPort, version: "v1")
        var startedPIDs: [Int32] = []
        do {
            // MUT: upload + start
            let etag = try await supervisor.storeConfig(v1, for: id)
            #expect(etag == Digest.md5Hex(Array(v1.utf8)))
            #expect(await supervisor.config(for: id) == v1)
            _ = try await supervisor.start(id)
            let master = try #require(await supervisor.masterPID(id))
            startedPIDs.append(master)
            let first = try AgentTestSupport.get(port: frontendPort)
            #expect(first.status == 200)
            #expect(first.headers["x-config"] == "v1")
            #expect(first.body == "member")

            // MUT: new config + reload keeps the master and serves the change
            let v2 = AgentTestSupport.haproxyConfig(base: base, id: id, frontendPort: frontendPort, backendPort: backendPort, version: "v2")
            try await supervisor.storeConfig(v2, for: id)
            _ = try await supervisor.reload(id)
            #expect(await supervisor.masterPID(id) == master)
            let second = try AgentTestSupport.get(port: frontendPort)
            #expect(second.status == 200)
            #expect(second.headers["x-config"] == "v2")
            #expect(FileManager.default.fileExists(atPath: supervisor.paths(id).serversState))

            // MUT: stop
            _ = await supervisor.stop(id)
        } catch {
            await supervisor.stopAll()
            await backend.stop()
            throw error
        }
        await backend.stop()
        // validate: nothing we started is left
        #expect(await supervisor.masterPID(id) == nil)
        for pid in startedPIDs { #expect(!ProcessTable.isRunning(pid)) }
        #expect(AgentTestSupport.processes(mentioning: base).isEmpty)
        #expect(await supervisor.runningMasterPIDs().isEmpty)
    }

    @Test(AgentTestSupport.needsHAProxy) func reloadOfStoppedInstanceStartsIt() async throws {
        try AgentTestSupport.requireHAProxy()
        let base = try AgentTestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let supervisor = makeSupervisor(base: base)
        let port = try AgentTestSupport.freePort()
        let config = AgentTestSupport.haproxyConfig(base: base, id: id, frontendPort: port, backendPort: 9, version: "v1")
        try await supervisor.storeConfig(config, for: id)
        // MUT
        _ = try await supervisor.reload(id)
        let master = await supervisor.masterPID(id)
        #expect(master != nil)
        // delete stops it and removes the files
        await supervisor.delete(id)
        #expect(!FileManager.default.fileExists(atPath: supervisor.paths(id).directory))
        if let master { #expect(!ProcessTable.isRunning(master)) }
        #expect(AgentTestSupport.processes(mentioning: base).isEmpty)
    }

    @Test(AgentTestSupport.needsHAProxy) func invalidConfigIsRejectedAndFilesUntouched() async throws {
        try AgentTestSupport.requireHAProxy()
        let base = try AgentTestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let supervisor = makeSupervisor(base: base)
        let good = AgentTestSupport.haproxyConfig(base: base, id: id, frontendPort: 1, backendPort: 2, version: "v1")
        try await supervisor.storeConfig(good, for: id)
        // MUT
        let bad = good + "\nbackend broken\n    server s1 127.0.0.1:80 bogus-keyword\n"
        await #expect {
            try await supervisor.storeConfig(bad, for: id)
        } throws: { error in
            guard let error = error as? AgentError else { return false }
            return error.status == .badRequest && error.message == "Invalid request" && (error.details ?? "").contains("bogus-keyword")
        }
        // validate
        #expect(await supervisor.config(for: id) == good)
        let failed = try String(contentsOfFile: supervisor.paths(id).failedConfig, encoding: .utf8)
        #expect(failed.contains("bogus-keyword"))
        #expect(!FileManager.default.fileExists(atPath: supervisor.paths(id).newConfig))
    }

    @Test func failedRenameIsAnErrorNotAnETag() async throws {
        let base = try AgentTestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        // `true` accepts any config, so this needs no HAProxy; a non-empty directory where
        // haproxy.cfg belongs makes rename(2) fail.
        let supervisor = HAProxySupervisor(basePath: base, haproxyCommand: "/bin/true", amphoraID: "a",
                                           logger: AgentTestSupport.logger)
        let paths = supervisor.paths(id)
        try FileManager.default.createDirectory(atPath: paths.config + "/occupied", withIntermediateDirectories: true)
        // MUT
        let error = await #expect(throws: AgentError.self) {
            try await supervisor.storeConfig("global\n", for: id)
        }
        // validate
        #expect(error?.status == .internalServerError)
        #expect(error?.details?.contains("rename") == true)
        #expect(await supervisor.config(for: id) == nil)
    }

    @Test func startWithoutConfigIsNotFound() async throws {
        let base = try AgentTestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let supervisor = makeSupervisor(base: base)
        await #expect(throws: AgentError.self) { try await supervisor.start(id) }
    }
}
