import Foundation
import OctaviaCore
import OctaviaHAProxyConfig
import Testing

/// Every golden graph must pass the real `haproxy -c`, without warnings.
///
/// Needs /usr/sbin/haproxy: outside CI the suite is skipped when it is missing; with CI=true it fails.
@Suite(.enabled(if: HAProxyBinary.isInstalled || HAProxyBinary.isCI, "haproxy not installed at \(HAProxyBinary.path)"))
struct HAProxyCheckTests {
    @Test(arguments: GoldenCase.all)
    func haproxyAcceptsConfig(_ golden: GoldenCase) throws {
        try #require(HAProxyBinary.isInstalled, "\(HAProxyBinary.path) is required in CI")

        // setup: the socket and state file must live in our own temp dir
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("octavia-hacfg-\(UUID().uuidString.prefix(8))", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = HAProxyRenderSettings(basePath: directory.path)
        let lbID = golden.graph.loadBalancer.id
        try FileManager.default.createDirectory(
            atPath: settings.loadBalancerDirectory(for: lbID), withIntermediateDirectories: true)
        // A state file with only the version line, as `show servers state` writes for no servers;
        // without it HAProxy warns that it cannot open the file.
        try "1\n".write(toFile: settings.serverStateFilePath(for: lbID), atomically: true, encoding: .utf8)
        try golden.writeTLSFiles(settings) { try TestPKI(in: directory.appendingPathComponent("pki")) }
        let configFile = directory.appendingPathComponent("haproxy.cfg")
        try HAProxyConfigRenderer.render(golden.graph, settings: settings, tls: golden.tlsPaths(settings))
            .write(to: configFile, atomically: true, encoding: .utf8)

        // MUT
        let result = try HAProxyBinary.run(["-c", "-f", configFile.path])

        // validate
        #expect(result.status == 0, "haproxy -c failed for \(golden.name):\n\(result.output)")
        let problems = result.output.split(separator: "\n").filter { $0.contains("[WARNING]") || $0.contains("[ALERT]") }
        #expect(problems.isEmpty, "haproxy -c complained about \(golden.name):\n\(problems.joined(separator: "\n"))")
    }
}

enum HAProxyBinary {
    static let path = "/usr/sbin/haproxy"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }
    static var isCI: Bool { TestEnvironment.isCI }

    /// Runs haproxy (or another tool) with stdout and stderr merged (it prints diagnostics on stderr).
    static func run(_ arguments: [String], executable: String = path, directory: URL? = nil) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
