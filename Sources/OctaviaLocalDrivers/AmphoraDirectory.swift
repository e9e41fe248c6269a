import Foundation
import OctaviaCore

/// The files of one local amphora under `<state_path>/<amphora_id>/`: its "config drive" and its "disk".
struct AmphoraDirectory: Sendable {
    let path: String

    var configFile: String { path + "/amphora-agent.conf" }
    var certsDirectory: String { path + "/certs" }
    var serverCertificate: String { certsDirectory + "/server.pem" }
    var clientCA: String { certsDirectory + "/client_ca.pem" }
    /// Bind-mounted on `/var/lib/octavia` in the amphora's private mount namespace.
    var dataDirectory: String { path + "/octavia" }
    var socket: String { path + "/agent.sock" }
    var pidFile: String { path + "/agent.pid" }
    var logFile: String { path + "/agent.log" }

    /// Writes every file the agent needs; the server key is readable by root only.
    func create(for request: AmphoraBuildRequest, heartbeat: LocalAmphoraHeartbeat? = nil) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: certsDirectory, withIntermediateDirectories: true,
                                  attributes: [.posixPermissions: 0o700])
        try files.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        // The heartbeat key is a secret: the config is readable by root only when it carries one.
        try write(agentConfig(amphoraID: request.amphoraID) + (heartbeat?.configSection ?? ""), to: configFile,
                  mode: heartbeat == nil ? 0o644 : 0o600)
        try write(request.serverCertificatePEM, to: serverCertificate, mode: 0o600)
        try write(request.clientCAPEM, to: clientCA, mode: 0o644)
        try write("", to: logFile, mode: 0o644)
    }

    /// The agent's INI configuration. The agent reads exactly these options.
    func agentConfig(amphoraID: Amphora.ID) -> String {
        """
        [amphora_agent]
        amphora_id = \(amphoraID)
        agent_server_cert = \(serverCertificate)
        agent_server_ca = \(clientCA)

        [haproxy_amphora]
        base_path = /var/lib/octavia
        haproxy_cmd = /usr/sbin/haproxy

        [local_amphora]
        agent_socket = \(socket)
        agent_pid_file = \(pidFile)

        """
    }

    /// The last lines of the agent's log, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    func remove() throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    private func write(_ text: String, to file: String, mode: Int) throws {
        let files = FileManager.default
        if files.fileExists(atPath: file) { try files.removeItem(atPath: file) }
        guard files.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw LocalDriverError("cannot write \(file)")
        }
    }
}
