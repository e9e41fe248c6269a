/// The amphora agent REST API, version 1.0 (Octavia's `amphorae/backends/agent/api_server`).
/// Shared by the controller's client and the agent so both sides use one set of names.
public enum AgentAPI {
    public static let version = "1.0"
    public static let userAgent = "Octavia HaProxy Rest Client/1.0 (https://wiki.openstack.org/wiki/Octavia)"

    public enum Path {
        public static let root = "/"
        public static let info = "/1.0/info"
        /// PUT haproxy.cfg body.
        public static func haproxyConfig(amphoraID: String, loadBalancerID: String) -> String {
            "/1.0/loadbalancer/\(amphoraID)/\(loadBalancerID)/haproxy"
        }
        /// GET the stored haproxy.cfg.
        public static func haproxyConfig(loadBalancerID: String) -> String { "/1.0/loadbalancer/\(loadBalancerID)/haproxy" }
        /// PUT with action start, stop or reload.
        public static func action(loadBalancerID: String, _ action: HAProxyAction) -> String {
            "/1.0/loadbalancer/\(loadBalancerID)/\(action.rawValue)"
        }
        /// DELETE: stop HAProxy for the load balancer and remove its files.
        public static func deleteListeners(loadBalancerID: String) -> String { "/1.0/listeners/\(loadBalancerID)" }
        public static func plugVIP(_ vip: String) -> String { "/1.0/plug/vip/\(vip)" }
        public static let plugNetwork = "/1.0/plug/network"
        /// PUT the agent's own new server certificate + key (PEM body): certificate rotation, 202.
        public static let serverCertificate = "/1.0/certificate"
        /// PUT (PEM body), GET (`{"md5sum"}`), DELETE one TLS file in the load balancer's cert directory.
        public static func certificate(loadBalancerID: String, filename: String) -> String {
            "/1.0/loadbalancer/\(loadBalancerID)/certificates/\(filename)"
        }
    }
}

public enum HAProxyAction: String, Codable, Sendable {
    case start, stop, reload
}

/// `GET /` answer.
public struct AgentVersion: Codable, Sendable {
    public var apiVersion: String
    public init(apiVersion: String) { self.apiVersion = apiVersion }
    enum CodingKeys: String, CodingKey { case apiVersion = "api_version" }
}

/// `GET /1.0/info` answer.
public struct AgentInfo: Codable, Sendable {
    public var hostname: String
    public var haproxyVersion: String
    public var apiVersion: String
    public var keepalivedVersion: String?
    public var ipvsadmVersion: String?

    public init(hostname: String, haproxyVersion: String, apiVersion: String, keepalivedVersion: String?,
                ipvsadmVersion: String?) {
        self.hostname = hostname; self.haproxyVersion = haproxyVersion; self.apiVersion = apiVersion
        self.keepalivedVersion = keepalivedVersion; self.ipvsadmVersion = ipvsadmVersion
    }

    enum CodingKeys: String, CodingKey {
        case hostname
        case haproxyVersion = "haproxy_version", apiVersion = "api_version"
        case keepalivedVersion = "keepalived_version", ipvsadmVersion = "ipvsadm_version"
    }
}

/// `GET /1.0/loadbalancer/{lb_id}/certificates/{filename}` answer.
public struct CertificateMD5: Codable, Sendable, Equatable {
    public var md5sum: String
    public init(md5sum: String) { self.md5sum = md5sum }
}

/// Agent success/error body: `{"message": ..., "details": ...}`.
public struct AgentMessage: Codable, Sendable {
    public var message: String
    public var details: String?
    public init(message: String, details: String? = nil) { self.message = message; self.details = details }
}

public struct HostRoute: Codable, Sendable, Equatable {
    public var nexthop: String
    public var destination: String
    public init(nexthop: String, destination: String) { self.nexthop = nexthop; self.destination = destination }
}

/// `POST /1.0/plug/vip/{vip}` body (`net_info`).
public struct PlugVIPRequest: Codable, Sendable, Equatable {
    public var subnetCIDR: String
    public var gateway: String?
    public var macAddress: String
    public var vrrpIP: String?
    public var mtu: Int?
    public var hostRoutes: [HostRoute]
    public var isSRIOV: Bool

    public init(subnetCIDR: String, gateway: String?, macAddress: String, vrrpIP: String?, mtu: Int?,
                hostRoutes: [HostRoute] = [], isSRIOV: Bool = false) {
        self.subnetCIDR = subnetCIDR; self.gateway = gateway; self.macAddress = macAddress; self.vrrpIP = vrrpIP
        self.mtu = mtu; self.hostRoutes = hostRoutes; self.isSRIOV = isSRIOV
    }

    enum CodingKeys: String, CodingKey {
        case gateway, mtu
        case subnetCIDR = "subnet_cidr", macAddress = "mac_address", vrrpIP = "vrrp_ip"
        case hostRoutes = "host_routes", isSRIOV = "is_sriov"
    }
}

public struct FixedIP: Codable, Sendable, Equatable {
    public var ipAddress: String
    public var subnetCIDR: String
    public var gateway: String?
    public var hostRoutes: [HostRoute]

    public init(ipAddress: String, subnetCIDR: String, gateway: String?, hostRoutes: [HostRoute] = []) {
        self.ipAddress = ipAddress; self.subnetCIDR = subnetCIDR; self.gateway = gateway; self.hostRoutes = hostRoutes
    }

    enum CodingKeys: String, CodingKey {
        case gateway
        case ipAddress = "ip_address", subnetCIDR = "subnet_cidr", hostRoutes = "host_routes"
    }
}

/// `POST /1.0/plug/network` body (`port_info`).
public struct PlugNetworkRequest: Codable, Sendable, Equatable {
    public var macAddress: String
    public var fixedIPs: [FixedIP]
    public var mtu: Int?
    public var isSRIOV: Bool

    public init(macAddress: String, fixedIPs: [FixedIP], mtu: Int?, isSRIOV: Bool = false) {
        self.macAddress = macAddress; self.fixedIPs = fixedIPs; self.mtu = mtu; self.isSRIOV = isSRIOV
    }

    enum CodingKeys: String, CodingKey {
        case mtu
        case macAddress = "mac_address", fixedIPs = "fixed_ips", isSRIOV = "is_sriov"
    }
}
