import OctaviaCore

/// TLS termination, re-encryption to members and the Prometheus exporter, following Octavia's
/// `combined_listeners` template. Hooks in the frontend and backend sections call these.
extension HAProxyConfigRenderer {
    /// Protocol versions and the HAProxy flag that turns each off.
    static let tlsVersionFlags: [(version: String, flag: String)] = [
        ("SSLv3", "no-sslv3"), ("TLSv1", "no-tlsv10"), ("TLSv1.1", "no-tlsv11"), ("TLSv1.2", "no-tlsv12"),
        ("TLSv1.3", "no-tlsv13"),
    ]

    /// Lines between `maxconn` and `bind` of a TERMINATED_HTTPS frontend: plain-HTTP requests are
    /// redirected, and HSTS is announced when `hsts_max_age` is set. Octavia writes the redirect as a
    /// `redirect` rule; as an `http-request` rule it means the same (HAProxy runs those first anyway)
    /// without HAProxy's warning when an L7 `http-request deny` follows it.
    static func tlsFrontendPreamble(_ entry: RenderSelection.ListenerEntry) -> [String] {
        guard entry.listener.protocol == .terminatedHTTPS else { return [] }
        var lines = ["http-request redirect scheme https unless { ssl_fc }"]
        if let maxAge = entry.listener.hstsMaxAge {
            var value = "max-age=\(maxAge);"
            if entry.listener.hstsIncludeSubdomains { value += " includeSubDomains;" }
            if entry.listener.hstsPreload { value += " preload;" }
            lines.append("http-response set-header Strict-Transport-Security \"\(value)\"")
        }
        return lines
    }

    /// What follows `bind <vip>:<port>` when the listener terminates TLS; empty otherwise.
    static func tlsBindOptions(_ entry: RenderSelection.ListenerEntry) -> String {
        guard let files = entry.tlsFiles else { return "" }
        let listener = entry.listener
        var words = ["ssl", "crt-list", files.crtList]
        if let ca = files.clientCA {
            words += ["ca-file", ca, "verify", listener.clientAuthentication.haproxyVerify]
            if let crl = files.clientCRL { words += ["crl-file", crl] }
        }
        words += cipherVersionALPNWords(
            ciphers: listener.tlsCiphers, versions: listener.tlsVersions?.value, alpn: listener.alpnProtocols?.value)
        return " " + words.joined(separator: " ")
    }

    /// PROMETHEUS listeners answer `/metrics` from HAProxy's built-in exporter (Octavia routes it
    /// through its prometheus-proxy; we serve the exporter directly) and 404 elsewhere.
    static func prometheusLines(_ entry: RenderSelection.ListenerEntry) -> [String] {
        guard entry.listener.protocol == .prometheus else { return [] }
        return [
            "http-request use-service prometheus-exporter if { path /metrics }",
            "http-request return status 404 unless { path /metrics }",
        ]
    }

    /// Backend headers only a TLS-terminating listener can fill (listener `insert_headers`).
    static func tlsHeaderLines(listener: Listener) -> [String] {
        guard listener.protocol == .terminatedHTTPS else { return [] }
        let headers = listener.insertHeaders.value
        func wanted(_ name: String) -> Bool { headers[name]?.lowercased() == "true" }
        var lines: [String] = []
        if wanted("X-Forwarded-Proto") { lines.append("http-request set-header X-Forwarded-Proto https") }
        let sslHeaders: [(String, String)] = [
            ("X-SSL-Client-Verify", "%[ssl_c_verify]"), ("X-SSL-Client-Has-Cert", "%[ssl_c_used]"),
            ("X-SSL-Client-DN", "%{+Q}[ssl_c_s_dn]"), ("X-SSL-Client-CN", "%{+Q}[ssl_c_s_dn(cn)]"),
            ("X-SSL-Issuer", "%{+Q}[ssl_c_i_dn]"), ("X-SSL-Client-SHA1", "%{+Q}[ssl_c_sha1,hex]"),
            ("X-SSL-Client-Not-Before", "%{+Q}[ssl_c_notbefore]"), ("X-SSL-Client-Not-After", "%{+Q}[ssl_c_notafter]"),
        ]
        for (name, expression) in sslHeaders where wanted(name) {
            lines.append("http-request set-header \(name) \(expression)")
        }
        return lines
    }

    /// The PROXY protocol option of a server line: PROXYV2 under a TLS-terminating listener also
    /// passes the client certificate's CN.
    static func sendProxyOption(pool: Pool, listener: Listener) -> String? {
        if pool.protocol == .proxyV2, listener.protocol == .terminatedHTTPS { return "send-proxy-v2-ssl-cn" }
        return pool.protocol.sendProxyOption
    }

    /// Server-line words for a pool that re-encrypts (`tls_enabled`); empty otherwise. The member
    /// certificate is verified only when the pool names a CA, as in Octavia.
    static func tlsServerWords(_ entry: RenderSelection.PoolEntry) -> [String] {
        let pool = entry.pool
        guard pool.tlsEnabled else { return [] }
        let files = entry.tlsFiles ?? TLSFilePaths.PoolFiles()
        var words = ["ssl"]
        if let certificate = files.clientCertificate { words += ["crt", certificate] }
        if let ca = files.ca {
            words += ["ca-file", ca, "verify", "required"]
            if let crl = files.crl { words += ["crl-file", crl] }
        } else {
            words += ["verify", "none"]
        }
        words += ["sni", "ssl_fc_sni"]
        words += cipherVersionALPNWords(ciphers: pool.tlsCiphers, versions: pool.tlsVersions?.value, alpn: pool.alpnProtocols?.value)
        return words
    }

    /// `ciphers`, a `no-*` flag for each version not allowed (nothing when unset), `alpn`.
    static func cipherVersionALPNWords(ciphers: String?, versions: [String]?, alpn: [String]?) -> [String] {
        var words: [String] = []
        if let ciphers, !ciphers.isEmpty { words += ["ciphers", ciphers] }
        if let versions {
            words += tlsVersionFlags.filter { !versions.contains($0.version) }.map(\.flag)
        }
        if let alpn, !alpn.isEmpty { words += ["alpn", alpn.joined(separator: ",")] }
        return words
    }
}

extension ClientAuthentication {
    /// HAProxy `verify` value: NONE→none, OPTIONAL→optional, MANDATORY→required.
    var haproxyVerify: String {
        switch self {
        case .none: "none"
        case .optional: "optional"
        case .mandatory: "required"
        }
    }
}
