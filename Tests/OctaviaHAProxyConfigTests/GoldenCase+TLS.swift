import Foundation
import OctaviaCore
import OctaviaHAProxyConfig

extension GoldenCase {
    static let tlsCases: [GoldenCase] = [tlsTermination, tlsClientAuthentication, tlsReencryption, prometheus]

    /// TERMINATED_HTTPS with every listener TLS option: versions, ciphers, ALPN, HSTS, X-SSL headers.
    static let tlsTermination: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 41)
        b.listener(1, .terminatedHTTPS, port: 443, pool: 1) {
            $0.defaultTLSContainerRef = "cert-1"
            $0.tlsVersions = JSONColumn(["TLSv1.2", "TLSv1.3"])
            $0.tlsCiphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
            $0.alpnProtocols = JSONColumn(["h2", "http/1.1"])
            $0.hstsMaxAge = 31_536_000; $0.hstsIncludeSubdomains = true; $0.hstsPreload = true
            $0.insertHeaders = JSONColumn([
                "X-Forwarded-For": "true", "X-Forwarded-Proto": "true", "X-SSL-Client-Verify": "true",
                "X-SSL-Client-Has-Cert": "true", "X-SSL-Client-DN": "true", "X-SSL-Client-CN": "true",
                "X-SSL-Issuer": "true", "X-SSL-Client-SHA1": "true", "X-SSL-Client-Not-Before": "true",
                "X-SSL-Client-Not-After": "true",
            ])
        }
        b.pool(1, .http)
        b.member(1, pool: 1, address: "10.0.41.11", port: 80)
        var golden = GoldenCase(name: "tls_termination", graph: b.graph)
        golden.tlsFileNames.listeners[GraphBuilder.id("11111111", 1)] = .init(crtList: "11111111-crt-list.pem")
        return golden
    }()

    /// Client certificates: MANDATORY with a CA and a CRL, OPTIONAL with a CA only and an L7 rule on
    /// the verification result, NONE with a CA (verify none); only TLSv1.3 on the first.
    static let tlsClientAuthentication: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 42)
        b.listener(1, .terminatedHTTPS, port: 443, pool: 1) {
            $0.clientAuthentication = .mandatory; $0.tlsVersions = JSONColumn(["TLSv1.3"])
        }
        b.listener(2, .terminatedHTTPS, port: 8443, pool: 1) { $0.clientAuthentication = .optional }
        b.listener(3, .terminatedHTTPS, port: 9443, pool: 1) { $0.clientAuthentication = .none }
        b.pool(1, .http)
        b.member(1, pool: 1, address: "10.0.42.11", port: 80)
        b.l7Policy(1, listener: 2, position: 1, .reject)
        b.l7Rule(1, policy: 1, .sslConnHasCert, .equalTo, value: "TRUE")
        b.l7Rule(2, policy: 1, .sslVerifyResult, .equalTo, value: "0", invert: true)
        b.l7Policy(2, listener: 2, position: 2, .reject)
        b.l7Rule(3, policy: 2, .sslDNField, .equalTo, key: "OU", value: "blocked")
        var golden = GoldenCase(name: "tls_client_authentication", graph: b.graph)
        golden.tlsFileNames.listeners = [
            GraphBuilder.id("11111111", 1): .init(crtList: "l1.pem", clientCA: "ca-sha1.pem", clientCRL: "crl-sha1.pem"),
            GraphBuilder.id("11111111", 2): .init(crtList: "l2.pem", clientCA: "ca-sha1.pem"),
            GraphBuilder.id("11111111", 3): .init(crtList: "l3.pem", clientCA: "ca-sha1.pem"),
        ]
        return golden
    }()

    /// Pools that re-encrypt: verified with CA+CRL and a client certificate plus cipher/version/ALPN
    /// options; unverified (no CA); a PROXYV2 pool under a TLS listener sends the client CN.
    static let tlsReencryption: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 43)
        b.listener(1, .http, port: 80, pool: 1)
        b.listener(2, .http, port: 8080, pool: 2)
        b.listener(3, .terminatedHTTPS, port: 443, pool: 3)
        b.pool(1, .http) {
            $0.tlsEnabled = true; $0.tlsCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256"
            $0.tlsVersions = JSONColumn(["TLSv1.2", "TLSv1.3"]); $0.alpnProtocols = JSONColumn(["http/1.1"])
        }
        b.pool(2, .http) { $0.tlsEnabled = true }
        b.pool(3, .proxyV2)
        b.member(1, pool: 1, address: "10.0.43.11", port: 443)
        b.member(2, pool: 2, address: "10.0.43.12", port: 443)
        b.member(3, pool: 3, address: "10.0.43.13", port: 80)
        b.monitor(1, pool: 1, .https, delay: 5, timeout: 3)
        var golden = GoldenCase(name: "tls_reencryption", graph: b.graph)
        golden.tlsFileNames.listeners[GraphBuilder.id("11111111", 3)] = .init(crtList: "l3.pem")
        golden.tlsFileNames.pools[GraphBuilder.id("22222222", 1)] =
            .init(clientCertificate: "client-cert.pem", ca: "pool-ca.pem", crl: "pool-crl.pem")
        return golden
    }()

    /// A PROMETHEUS listener served by HAProxy's exporter, and a TERMINATED_HTTPS listener whose
    /// files were not provided (named in a comment, not rendered).
    static let prometheus: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 44)
        b.listener(1, .prometheus, port: 9100)
        b.listener(2, .terminatedHTTPS, port: 443, pool: 1)
        b.pool(1, .http)
        b.member(1, pool: 1, address: "10.0.44.11", port: 80)
        return GoldenCase(name: "prometheus", graph: b.graph)
    }()

    /// The case's file names placed in the settings' certificate directory, as the worker does.
    func tlsPaths(_ settings: HAProxyRenderSettings) -> TLSFilePaths {
        let directory = settings.certificateDirectory(for: graph.loadBalancer.id)
        func path(_ name: String?) -> String? { name.map { "\(directory)/\($0)" } }
        var paths = TLSFilePaths()
        for (id, files) in tlsFileNames.listeners {
            paths.listeners[id] = .init(
                crtList: "\(directory)/\(files.crtList)", clientCA: path(files.clientCA), clientCRL: path(files.clientCRL))
        }
        for (id, files) in tlsFileNames.pools {
            paths.pools[id] = .init(clientCertificate: path(files.clientCertificate), ca: path(files.ca), crl: path(files.crl))
        }
        return paths
    }

    /// Writes real files behind every path of ``tlsPaths(_:)`` (crt-lists naming a generated
    /// server certificate, CA bundles, CRLs, client certificates) so `haproxy -c` can load them.
    func writeTLSFiles(_ settings: HAProxyRenderSettings, pki: () throws -> TestPKI) throws {
        let paths = tlsPaths(settings)
        guard !paths.listeners.isEmpty || !paths.pools.isEmpty else { return }
        let pki = try pki()
        let files = FileManager.default
        try files.createDirectory(atPath: settings.certificateDirectory(for: graph.loadBalancer.id),
                                  withIntermediateDirectories: true)
        func copy(_ source: URL, to path: String?) throws {
            guard let path else { return }
            if files.fileExists(atPath: path) { try files.removeItem(atPath: path) }
            try files.copyItem(atPath: source.path, toPath: path)
        }
        for listener in paths.listeners.values {
            try (pki.serverBundle.path + "\n").write(toFile: listener.crtList, atomically: true, encoding: .utf8)
            try copy(pki.caCertificate, to: listener.clientCA)
            try copy(pki.crl, to: listener.clientCRL)
        }
        for pool in paths.pools.values {
            try copy(pki.serverBundle, to: pool.clientCertificate)
            try copy(pki.caCertificate, to: pool.ca)
            try copy(pki.crl, to: pool.crl)
        }
    }
}
