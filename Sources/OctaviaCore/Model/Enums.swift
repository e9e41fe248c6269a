/// Provisioning status of every object (amphorae have extra values in ``AmphoraStatus``).
public enum ProvisioningStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case pendingCreate = "PENDING_CREATE"
    case pendingUpdate = "PENDING_UPDATE"
    case pendingDelete = "PENDING_DELETE"
    case deleted = "DELETED"
    case error = "ERROR"

    /// Octavia's MUTABLE_STATUSES.
    public static let mutable: Set<Self> = [.active]
    /// Octavia's DELETABLE_STATUSES (load balancers).
    public static let deletable: Set<Self> = [.active, .error]
    /// Octavia's FAILOVERABLE_STATUSES.
    public static let failoverable: Set<Self> = [.active, .error]

    public var isPending: Bool { self == .pendingCreate || self == .pendingUpdate || self == .pendingDelete }
}

public enum OperatingStatus: String, Codable, Sendable, CaseIterable {
    case online = "ONLINE"
    case offline = "OFFLINE"
    case degraded = "DEGRADED"
    case error = "ERROR"
    case draining = "DRAINING"
    case noMonitor = "NO_MONITOR"
}

public enum ListenerProtocol: String, Codable, Sendable, CaseIterable {
    case tcp = "TCP"
    case http = "HTTP"
    case https = "HTTPS"
    case terminatedHTTPS = "TERMINATED_HTTPS"
    case udp = "UDP"
    case sctp = "SCTP"
    case prometheus = "PROMETHEUS"
}

public enum PoolProtocol: String, Codable, Sendable, CaseIterable {
    case tcp = "TCP"
    case http = "HTTP"
    case https = "HTTPS"
    case proxy = "PROXY"
    case proxyV2 = "PROXYV2"
    case udp = "UDP"
    case sctp = "SCTP"
}

public enum LoadBalancingAlgorithm: String, Codable, Sendable, CaseIterable {
    case roundRobin = "ROUND_ROBIN"
    case leastConnections = "LEAST_CONNECTIONS"
    case sourceIP = "SOURCE_IP"
    case sourceIPPort = "SOURCE_IP_PORT"
}

public enum SessionPersistenceType: String, Codable, Sendable, CaseIterable {
    case sourceIP = "SOURCE_IP"
    case httpCookie = "HTTP_COOKIE"
    case appCookie = "APP_COOKIE"
}

public enum HealthMonitorType: String, Codable, Sendable, CaseIterable {
    case http = "HTTP"
    case https = "HTTPS"
    case ping = "PING"
    case tcp = "TCP"
    case tlsHello = "TLS-HELLO"
    case udpConnect = "UDP-CONNECT"
    case sctp = "SCTP"
}

public enum HTTPMethodName: String, Codable, Sendable, CaseIterable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE"
    case trace = "TRACE", options = "OPTIONS", connect = "CONNECT", patch = "PATCH"
}

public enum Topology: String, Codable, Sendable, CaseIterable {
    case single = "SINGLE"
    case activeStandby = "ACTIVE_STANDBY"
}

public enum AmphoraRole: String, Codable, Sendable, CaseIterable {
    case standalone = "STANDALONE"
    case master = "MASTER"
    case backup = "BACKUP"
}

public enum AmphoraStatus: String, Codable, Sendable, CaseIterable {
    case booting = "BOOTING"
    case allocated = "ALLOCATED"
    case ready = "READY"
    case pendingCreate = "PENDING_CREATE"
    case pendingDelete = "PENDING_DELETE"
    case deleted = "DELETED"
    case error = "ERROR"
    case failoverStopped = "FAILOVER_STOPPED"
}

/// TLS client-certificate checking on a TERMINATED_HTTPS listener (HAProxy `verify none|optional|required`).
public enum ClientAuthentication: String, Codable, Sendable, CaseIterable {
    case none = "NONE"
    case optional = "OPTIONAL"
    case mandatory = "MANDATORY"
}
