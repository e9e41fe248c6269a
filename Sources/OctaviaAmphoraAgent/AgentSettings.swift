import Foundation
import OctaviaConfig

/// Load balancer topology from `[controller_worker] loadbalancer_topology`; SINGLE amphorae
/// announce their VIPs with gratuitous ARP themselves (keepalived does it in ACTIVE_STANDBY).
public enum AgentTopology: String, Sendable {
    case single = "SINGLE"
    case activeStandby = "ACTIVE_STANDBY"
}

/// The agent's settings, read from `/etc/octavia/amphora-agent.conf` (oslo.config INI).
public struct AgentSettings: Sendable {
    /// `[amphora_agent] amphora_id`: requests for another amphora are refused.
    public var amphoraID: String
    /// `[haproxy_amphora] base_path`, default `/var/lib/octavia`.
    public var basePath: String
    /// `[haproxy_amphora] base_cert_dir`: TLS files live in `<dir>/<lb_id>/`; default `<base_path>/certs`
    /// (Octavia's `/var/lib/octavia/certs`).
    public var baseCertificateDirectory: String
    /// `[haproxy_amphora] haproxy_cmd`, default `/usr/sbin/haproxy`.
    public var haproxyCommand: String
    /// `[amphora_agent] agent_server_cert`: PEM certificate followed by its private key.
    public var serverCertificatePath: String
    /// `[amphora_agent] agent_server_ca`: client certificates must chain to this CA.
    public var clientCAPath: String
    /// `[local_amphora] agent_socket`: when set, listen on this Unix socket instead of TCP.
    public var unixSocketPath: String?
    /// `[haproxy_amphora] bind_host`, default `::`.
    public var bindHost: String
    /// `[haproxy_amphora] bind_port`, default 9443.
    public var bindPort: Int
    /// `[local_amphora] agent_pid_file`: our pid is written here at start.
    public var pidFile: String?
    /// `[controller_worker] loadbalancer_topology`, default SINGLE.
    public var topology: AgentTopology

    public init(amphoraID: String, basePath: String = "/var/lib/octavia", haproxyCommand: String = "/usr/sbin/haproxy",
                serverCertificatePath: String = "/etc/octavia/certs/server.pem",
                clientCAPath: String = "/etc/octavia/certs/client_ca.pem", unixSocketPath: String? = nil,
                bindHost: String = "::", bindPort: Int = 9443, pidFile: String? = nil, topology: AgentTopology = .single) {
        self.amphoraID = amphoraID; self.basePath = basePath; self.haproxyCommand = haproxyCommand
        self.baseCertificateDirectory = basePath + "/certs"
        self.serverCertificatePath = serverCertificatePath; self.clientCAPath = clientCAPath
        self.unixSocketPath = unixSocketPath; self.bindHost = bindHost; self.bindPort = bindPort
        self.pidFile = pidFile; self.topology = topology
    }

    /// Reads and validates `path`. Unknown sections or options are errors so typos do not pass silently.
    public init(configFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AgentSettingsError(path: path, section: nil, option: nil, reason: "cannot read file: \(error)")
        }
        try self.init(ini: INIFile.parse(text, path: path))
    }

    /// Options this agent understands or knowingly ignores (they belong to features not built here).
    static let knownOptions: [String: Set<String>] = [
        "DEFAULT": ["debug", "use_syslog", "syslog_log_facility", "log_file", "log_dir", "verbose"],
        "haproxy_amphora": ["base_path", "base_cert_dir", "haproxy_cmd", "bind_host", "bind_port", "respawn_count",
                            "respawn_interval", "use_upstart", "user_log_facility", "administrative_log_facility",
                            "lb_network_interface", "haproxy_template", "connection_logging"],
        "health_manager": ["controller_ip_port_list", "heartbeat_interval", "heartbeat_key"],
        "amphora_agent": ["agent_server_ca", "agent_server_cert", "agent_server_network_dir", "agent_server_network_file",
                          "agent_request_read_timeout", "amphora_id", "amphora_udp_driver", "agent_tls_protocol",
                          "admin_log_targets", "tenant_log_targets", "log_protocol", "log_retry_count",
                          "log_retry_interval", "log_queue_size", "forward_all_logs", "disable_local_log_storage",
                          "administrative_log_facility", "user_log_facility"],
        "controller_worker": ["loadbalancer_topology"],
        "local_amphora": ["agent_socket", "agent_pid_file"],
        "keepalived_vrrp": ["vrrp_advert_int", "vrrp_check_interval", "vrrp_fail_count", "vrrp_success_count",
                            "vrrp_garp_refresh_interval", "vrrp_garp_refresh_count"],
    ]

    init(ini: INIFile) throws {
        for section in ini.sections {
            guard let known = Self.knownOptions[section.name] else {
                throw AgentSettingsError(path: ini.path, section: section.name, option: nil, reason: "unknown section", line: section.line)
            }
            for entry in section.entries where !known.contains(entry.key) {
                throw AgentSettingsError(path: ini.path, section: section.name, option: entry.key, reason: "unknown option", line: entry.line)
            }
        }
        func value(_ section: String, _ option: String) -> String? {
            guard let raw = ini.section(section)?.value(option), !raw.isEmpty else { return nil }
            return raw
        }
        guard let amphoraID = value("amphora_agent", "amphora_id") else {
            throw AgentSettingsError(path: ini.path, section: "amphora_agent", option: "amphora_id", reason: "is required")
        }
        self.init(amphoraID: amphoraID)
        basePath = value("haproxy_amphora", "base_path") ?? basePath
        baseCertificateDirectory = value("haproxy_amphora", "base_cert_dir") ?? basePath + "/certs"
        haproxyCommand = value("haproxy_amphora", "haproxy_cmd") ?? haproxyCommand
        bindHost = value("haproxy_amphora", "bind_host") ?? bindHost
        if let port = value("haproxy_amphora", "bind_port") {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw AgentSettingsError(path: ini.path, section: "haproxy_amphora", option: "bind_port", reason: "'\(port)' is not a port number")
            }
            bindPort = number
        }
        serverCertificatePath = value("amphora_agent", "agent_server_cert") ?? serverCertificatePath
        clientCAPath = value("amphora_agent", "agent_server_ca") ?? clientCAPath
        unixSocketPath = value("local_amphora", "agent_socket")
        pidFile = value("local_amphora", "agent_pid_file")
        if let raw = value("controller_worker", "loadbalancer_topology") {
            guard let parsed = AgentTopology(rawValue: raw.uppercased()) else {
                throw AgentSettingsError(path: ini.path, section: "controller_worker", option: "loadbalancer_topology",
                                         reason: "'\(raw)' is not SINGLE or ACTIVE_STANDBY")
            }
            topology = parsed
        }
    }
}

/// A configuration problem, naming the file, section and option.
public struct AgentSettingsError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var section: String?
    public var option: String?
    public var reason: String
    public var line: Int? = nil

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let section { place += " [\(section)]" }
        if let option { place += " \(option)" }
        return "\(place): \(reason)"
    }
}
