import Foundation
import OctaviaAmphoraWire
import OctaviaSystem

/// Answers `GET /1.0/info` from the installed binaries' own version output.
struct AgentInfoProvider: Sendable {
    var haproxyCommand: String
    var runner = SystemRunner()

    func info() async -> AgentInfo {
        async let haproxy = version(of: [haproxyCommand, "-v"], after: "version ")
        async let keepalived = version(of: ["keepalived", "-v"], after: "Keepalived v")
        async let ipvsadm = version(of: ["ipvsadm", "--version"], after: "ipvsadm v")
        return await AgentInfo(hostname: ProcessInfo.processInfo.hostName, haproxyVersion: haproxy ?? "unknown",
                               apiVersion: AgentAPI.version, keepalivedVersion: keepalived, ipvsadmVersion: ipvsadm)
    }

    /// The token after `marker` in the command's output (stdout or stderr), or nil when the command is missing.
    func version(of command: [String], after marker: String) async -> String? {
        guard (try? SystemRunner.resolve(command[0])) != nil,
              let result = try? await runner.run(command) else { return nil }
        return Self.parseVersion(result.output + "\n" + result.error, after: marker)
    }

    static func parseVersion(_ text: String, after marker: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let token = text[range.upperBound...].prefix { !$0.isWhitespace }
        return token.isEmpty ? nil : String(token)
    }
}
