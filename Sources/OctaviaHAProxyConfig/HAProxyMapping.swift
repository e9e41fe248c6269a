import OctaviaCore

/// HAProxy proxy modes.
enum HAProxyMode: String {
    case tcp, http
}

/// How a listener protocol is served by the HAProxy renderer.
enum ListenerRendering: Equatable {
    /// Rendered as a frontend in this mode.
    case frontend(HAProxyMode)
    /// UDP/SCTP: not an HAProxy listener at all.
    case notHAProxy
}

extension ListenerProtocol {
    var haproxyRendering: ListenerRendering {
        switch self {
        case .tcp, .https: .frontend(.tcp)  // HTTPS listeners are TLS pass-through
        case .http: .frontend(.http)
        case .terminatedHTTPS, .prometheus: .frontend(.http)
        case .udp, .sctp: .notHAProxy
        }
    }
}

extension PoolProtocol {
    /// The backend mode; PROXY pools follow their listener's mode. Nil for UDP/SCTP.
    func haproxyMode(listenerMode: HAProxyMode) -> HAProxyMode? {
        switch self {
        case .tcp, .https: .tcp
        case .http: .http
        case .proxy, .proxyV2: listenerMode
        case .udp, .sctp: nil
        }
    }

    /// `send-proxy` option for PROXY protocol pools.
    var sendProxyOption: String? {
        switch self {
        case .proxy: "send-proxy"
        case .proxyV2: "send-proxy-v2"
        default: nil
        }
    }
}

extension LoadBalancingAlgorithm {
    /// `balance` keyword. SOURCE_IP_PORT has no HAProxy equivalent in Octavia's map and falls back
    /// to `roundrobin`, as Octavia does for unknown algorithms.
    var haproxyBalance: String {
        switch self {
        case .roundRobin, .sourceIPPort: "roundrobin"
        case .leastConnections: "leastconn"
        case .sourceIP: "source"
        }
    }
}

extension ProvisioningStatus {
    /// False for objects on their way out: they must not appear in a new config.
    var isRenderable: Bool { self != .pendingDelete && self != .deleted }
}
