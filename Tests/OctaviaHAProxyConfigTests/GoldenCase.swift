import OctaviaCore
import OctaviaHAProxyConfig
import Testing

/// A named graph whose rendering is checked in as `Golden/<name>.cfg`.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var graph: LoadBalancerGraph
    /// TLS file names (placed under the certificate directory by ``tlsPaths(_:)``); empty for plain cases.
    var tlsFileNames = TLSFilePaths()

    var testDescription: String { name }

    static let all: [GoldenCase] = [
        httpRoundRobin, tcpLeastConnections, sourceIPPersistence, memberStates, cookiePersistence,
        proxyProtocol, insertHeaders, disabledObjects, noListeners, disabledLoadBalancer,
    ] + l7Cases + optionCases + tlsCases

    /// HTTP listener, ROUND_ROBIN pool, 3 members (added out of order), HTTP/1.1 monitor with a range of codes.
    static let httpRoundRobin: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 1)
        b.listener(1, .http, port: 80, pool: 1)
        b.pool(1, .http, .roundRobin)
        b.member(3, pool: 1, address: "10.0.1.13", port: 8080) { $0.weight = 3 }
        b.member(1, pool: 1, address: "10.0.1.11", port: 8080)
        b.member(2, pool: 1, address: "10.0.1.12", port: 8080) { $0.weight = 2 }
        b.monitor(1, pool: 1, .http, delay: 5, timeout: 3, rise: 2, fall: 3) {
            $0.httpMethod = .get; $0.urlPath = "/healthz"; $0.expectedCodes = "200-204"
            $0.httpVersion = 1.1; $0.domainName = "app.example.com"
        }
        return GoldenCase(name: "http_round_robin", graph: b.graph)
    }()

    /// TCP listener with limits and timeouts, LEAST_CONNECTIONS, TCP monitor on monitor address/port, IPv6 member.
    static let tcpLeastConnections: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 2)
        b.listener(1, .tcp, port: 3306, pool: 1) {
            $0.connectionLimit = 1000; $0.timeoutClientData = 0; $0.timeoutMemberConnect = 2000
            $0.timeoutMemberData = 60000; $0.timeoutTCPInspect = 3000
        }
        b.pool(1, .tcp, .leastConnections)
        b.member(1, pool: 1, address: "10.0.2.21", port: 3306) { $0.monitorAddress = "10.0.3.21"; $0.monitorPort = 9200 }
        b.member(2, pool: 1, address: "10.0.2.22", port: 3306) { $0.monitorPort = 9200 }
        b.member(3, pool: 1, address: "2001:db8::23", port: 3306)
        b.monitor(1, pool: 1, .tcp, delay: 10, timeout: 5, rise: 3, fall: 2)
        return GoldenCase(name: "tcp_least_connections", graph: b.graph)
    }()

    /// HTTPS pass-through with SOURCE_IP balancing and persistence, HTTPS monitor with a code list.
    static let sourceIPPersistence: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 3)
        b.listener(1, .https, port: 443, pool: 1)
        b.pool(1, .https, .sourceIP, persistence: SessionPersistence(type: .sourceIP))
        b.member(1, pool: 1, address: "10.0.4.11", port: 443)
        b.member(2, pool: 1, address: "10.0.4.12", port: 443)
        b.monitor(1, pool: 1, .https, delay: 7, timeout: 4, rise: 1, fall: 1) {
            $0.httpMethod = .get; $0.urlPath = "/status"; $0.expectedCodes = "200, 202"
        }
        return GoldenCase(name: "source_ip_persistence", graph: b.graph)
    }()

    /// Backup, admin-down and drained members; a PENDING_DELETE member and another pool's member are left out.
    static let memberStates: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 4)
        b.listener(1, .http, port: 80, pool: 1)
        b.pool(1, .http)
        b.pool(2, .http)
        b.member(1, pool: 1, address: "10.0.5.11", port: 80)
        b.member(2, pool: 1, address: "10.0.5.12", port: 80) { $0.backup = true }
        b.member(3, pool: 1, address: "10.0.5.13", port: 80) { $0.adminStateUp = false }
        b.member(4, pool: 1, address: "10.0.5.14", port: 80) { $0.weight = 0 }
        b.member(5, pool: 1, address: "10.0.5.15", port: 80) { $0.provisioningStatus = .pendingDelete }
        b.member(6, pool: 2, address: "10.0.5.16", port: 80)
        b.monitor(1, pool: 1, .ping, delay: 2, timeout: 1, rise: 2, fall: 2)
        return GoldenCase(name: "member_states", graph: b.graph)
    }()

    /// HTTP_COOKIE and APP_COOKIE pools on two listeners (given in reverse port order).
    static let cookiePersistence: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 5)
        b.listener(2, .http, port: 8080, pool: 2)
        b.listener(1, .http, port: 80, pool: 1)
        b.pool(1, .http, persistence: SessionPersistence(type: .httpCookie))
        b.pool(2, .http, .leastConnections, persistence: SessionPersistence(type: .appCookie, cookieName: "JSESSIONID"))
        b.member(1, pool: 1, address: "10.0.6.11", port: 80)
        b.member(2, pool: 1, address: "10.0.6.12", port: 80)
        b.member(3, pool: 2, address: "10.0.6.21", port: 8080)
        b.member(4, pool: 2, address: "10.0.6.22", port: 8080)
        b.monitor(1, pool: 1, .http, delay: 3, timeout: 2, rise: 2, fall: 2) {
            $0.httpMethod = .head; $0.urlPath = "/"; $0.expectedCodes = "200"; $0.httpVersion = 1.0
        }
        return GoldenCase(name: "cookie_persistence", graph: b.graph)
    }()

    /// PROXY pool under a TCP listener (TLS-HELLO monitor) and PROXYV2 pool under an HTTP listener.
    static let proxyProtocol: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 6)
        b.listener(1, .tcp, port: 80, pool: 1)
        b.listener(2, .http, port: 8080, pool: 2)
        b.pool(1, .proxy)
        b.pool(2, .proxyV2)
        b.member(1, pool: 1, address: "10.0.7.11", port: 80)
        b.member(2, pool: 2, address: "10.0.7.21", port: 8080)
        b.monitor(1, pool: 1, .tlsHello, delay: 5, timeout: 5, rise: 2, fall: 2)
        return GoldenCase(name: "proxy_protocol", graph: b.graph)
    }()

    /// insert_headers (values are case-insensitive "true"), custom timeouts; TLS-only headers are ignored.
    static let insertHeaders: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 7)
        b.listener(1, .http, port: 80, pool: 1) {
            $0.insertHeaders.value = [
                "X-Forwarded-For": "true", "X-Forwarded-Port": "True", "X-Forwarded-Proto": "TRUE",
                "X-SSL-Client-CN": "true",
            ]
            $0.timeoutClientData = 10000; $0.timeoutMemberConnect = 1000; $0.timeoutMemberData = 20000
            $0.timeoutTCPInspect = 500; $0.connectionLimit = 2000
        }
        b.listener(2, .http, port: 81, pool: 2) {
            $0.insertHeaders.value = ["X-Forwarded-For": "false", "X-Forwarded-Proto": "true"]
        }
        b.pool(1, .http)
        b.pool(2, .http)
        b.member(1, pool: 1, address: "10.0.8.11", port: 80)
        b.member(2, pool: 2, address: "10.0.8.21", port: 80)
        return GoldenCase(name: "insert_headers", graph: b.graph)
    }()

    /// Disabled / deleting listeners and pools, an admin-down monitor, UDP and TERMINATED_HTTPS listeners.
    static let disabledObjects: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 8)
        b.listener(1, .http, port: 80, pool: 1)  // pool disabled: no default_backend
        b.listener(2, .http, port: 81, pool: 2) { $0.adminStateUp = false }
        b.listener(3, .tcp, port: 82, pool: 2) { $0.provisioningStatus = .pendingDelete }
        b.listener(4, .udp, port: 53, pool: 4)
        b.listener(5, .terminatedHTTPS, port: 443, pool: 2)
        b.listener(6, .tcp, port: 83, pool: 3)  // pool PENDING_DELETE: no default_backend
        b.listener(7, .tcp, port: 84, pool: 2)  // monitor admin down: no checks
        b.pool(1, .http) { $0.adminStateUp = false }
        b.pool(2, .tcp)
        b.pool(3, .tcp) { $0.provisioningStatus = .pendingDelete }
        b.pool(4, .udp)
        b.member(1, pool: 1, address: "10.0.9.11", port: 80)
        b.member(2, pool: 2, address: "10.0.9.21", port: 80)
        b.member(3, pool: 4, address: "10.0.9.41", port: 53)
        b.monitor(1, pool: 2, .tcp) { $0.adminStateUp = false }
        return GoldenCase(name: "disabled_objects", graph: b.graph)
    }()

    /// A load balancer without listeners: global and defaults only.
    static let noListeners: GoldenCase = {
        GoldenCase(name: "no_listeners", graph: GraphBuilder(loadBalancer: 9).graph)
    }()

    /// An admin-down load balancer renders no proxies even though its listener is enabled.
    static let disabledLoadBalancer: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 10) { $0.adminStateUp = false }
        b.listener(1, .tcp, port: 80, pool: 1)
        b.pool(1, .tcp)
        b.member(1, pool: 1, address: "10.0.10.11", port: 80)
        return GoldenCase(name: "disabled_load_balancer", graph: b.graph)
    }()
}
