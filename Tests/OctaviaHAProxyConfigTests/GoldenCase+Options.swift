import OctaviaCore

extension GoldenCase {
    static let optionCases: [GoldenCase] = [allowedCIDRs, healthMonitorOptions]

    /// allowed_cidrs on an HTTP and a TCP listener become a connection-level reject; an empty list allows everyone.
    static let allowedCIDRs: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 31)
        b.listener(1, .http, port: 80, pool: 1) { $0.allowedCIDRs = JSONColumn(["10.0.31.0/24", "192.0.2.7/32"]) }
        b.listener(2, .tcp, port: 22, pool: 2) { $0.allowedCIDRs = JSONColumn(["198.51.100.0/24"]) }
        b.listener(3, .http, port: 8080, pool: 1) { $0.allowedCIDRs = JSONColumn([]) }
        b.pool(1, .http)
        b.pool(2, .tcp)
        b.member(1, pool: 1, address: "10.0.31.11", port: 80)
        b.member(2, pool: 2, address: "10.0.31.21", port: 22)
        return GoldenCase(name: "allowed_cidrs", graph: b.graph)
    }()

    /// One pool per monitor shape: HTTP POST with HTTP/1.0 and a mixed code list, HTTPS HEAD with
    /// HTTP/1.1 but no domain (no Host line), TLS-HELLO, TCP on a monitor address, HTTP with no
    /// method/path/codes (GET / 200).
    static let healthMonitorOptions: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 32)
        b.listener(1, .http, port: 80, pool: 1)
        b.listener(2, .https, port: 443, pool: 2)
        b.listener(3, .https, port: 8443, pool: 3)
        b.listener(4, .tcp, port: 5432, pool: 4)
        b.listener(5, .http, port: 8080, pool: 5)
        b.pool(1, .http)
        b.pool(2, .https)
        b.pool(3, .tcp)
        b.pool(4, .tcp)
        b.pool(5, .http)
        b.member(1, pool: 1, address: "10.0.32.11", port: 80)
        b.member(2, pool: 2, address: "10.0.32.21", port: 443)
        b.member(3, pool: 3, address: "10.0.32.31", port: 443)
        b.member(4, pool: 4, address: "10.0.32.41", port: 5432) { $0.monitorAddress = "10.0.33.41" }
        b.member(5, pool: 5, address: "10.0.32.51", port: 80) { $0.monitorPort = 8081 }
        b.monitor(1, pool: 1, .http, delay: 2, timeout: 1, rise: 1, fall: 4) {
            $0.httpMethod = .post; $0.urlPath = "/check?full=1"; $0.expectedCodes = "200, 301-302"; $0.httpVersion = 1.0
        }
        b.monitor(2, pool: 2, .https, delay: 3, timeout: 2, rise: 2, fall: 2) {
            $0.httpMethod = .head; $0.urlPath = "/ping"; $0.httpVersion = 1.1
        }
        b.monitor(3, pool: 3, .tlsHello, delay: 4, timeout: 3, rise: 3, fall: 3)
        b.monitor(4, pool: 4, .tcp, delay: 6, timeout: 5, rise: 1, fall: 1)
        b.monitor(5, pool: 5, .http, delay: 1, timeout: 1, rise: 1, fall: 1)
        return GoldenCase(name: "health_monitor_options", graph: b.graph)
    }()
}
