import Foundation
import Testing
@testable import OctaviaAmphoraAgent

/// The PING monitor's external check: installed executable, and it really pings.
@Suite struct PingWrapperTests {
    @Test func installsAnExecutableScriptOnceAndItPingsLoopback() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ping-wrapper-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // MUT
        try PingWrapper.install(in: directory)
        try PingWrapper.install(in: directory)

        // validate
        let path = directory + "/" + PingWrapper.fileName
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == PingWrapper.script)
        #expect(!FileManager.default.fileExists(atPath: path + ".new"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ping") || FileManager.default.isExecutableFile(atPath: "/bin/ping")
        else { return }
        // HAProxy runs it with an empty PATH and the address in HAPROXY_SERVER_ADDR.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.environment = ["HAPROXY_SERVER_ADDR": "127.0.0.1"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
