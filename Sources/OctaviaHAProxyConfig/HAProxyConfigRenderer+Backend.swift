import OctaviaCore

extension HAProxyConfigRenderer {
    /// `backend <pool_id>:<listener_id>` in Octavia's line order.
    static func backendSection(
        _ entry: RenderSelection.PoolEntry, of listenerEntry: RenderSelection.ListenerEntry,
        loadBalancer: LoadBalancer.ID, settings: HAProxyRenderSettings
    ) -> ConfigSection {
        let pool = entry.pool
        let listener = listenerEntry.listener
        var backend = ConfigSection("backend \(backendName(pool: pool.id, listener: listener.id))")
        backend.add("mode \(entry.mode.rawValue)")
        if entry.mode == .http {
            // Octavia: HTTP pools, and PROXY pools under an HTTP listener (both are http mode here).
            backend.add("http-reuse safe")
        }
        backend.add("balance \(pool.lbAlgorithm.haproxyBalance)")
        for line in persistenceLines(pool.sessionPersistence?.value, settings: settings) { backend.add(line) }
        if let monitor = entry.healthMonitor {
            backend.add("load-server-state-from-file global")
            for line in healthCheckLines(monitor, settings: settings) { backend.add(line) }
        }
        for line in headerLines(listener: listener, pool: pool) + tlsHeaderLines(listener: listener) { backend.add(line) }
        backend.add("fullconn \(connectionLimit(of: listener, settings: settings))")
        backend.add("option allbackups")
        backend.add("timeout connect \(timeout(listener.timeoutMemberConnect, default: defaultTimeoutMemberConnect))")
        backend.add("timeout server \(timeout(listener.timeoutMemberData, default: defaultTimeoutMemberData))")
        for member in entry.members {
            backend.add(serverLine(member, pool: pool, healthMonitor: entry.healthMonitor, listener: listener)
                + tlsServerWords(entry).map { " " + $0 }.joined())
        }
        return backend
    }

    /// Stick tables / cookies. APP_COOKIE without a cookie name (rejected by the API) renders nothing.
    static func persistenceLines(_ persistence: SessionPersistence?, settings: HAProxyRenderSettings) -> [String] {
        guard let persistence else { return [] }
        switch persistence.type {
        case .sourceIP:
            return ["stick-table type ipv6 size \(settings.stickTableSize)", "stick on src"]
        case .appCookie:
            guard let cookie = persistence.cookieName, !cookie.isEmpty else { return [] }
            return [
                "stick-table type string len 64 size \(settings.stickTableSize)",
                "stick store-response res.cook(\(cookie))",
                "stick match req.cook(\(cookie))",
            ]
        case .httpCookie:
            return ["cookie SRV insert indirect nocache"]
        }
    }

    /// Backend-level check options; the per-server part is in ``serverLine(_:pool:healthMonitor:listener:)``.
    /// TCP is a plain connect check; TLS-HELLO sends a hello and accepts any TLS record back
    /// (`option ssl-hello-chk`, as Octavia's template does).
    static func healthCheckLines(_ monitor: HealthMonitor, settings: HAProxyRenderSettings) -> [String] {
        var lines = ["timeout check \(monitor.timeout)s"]
        switch monitor.type {
        case .http, .https:
            let method = (monitor.httpMethod ?? .get).rawValue
            let path = monitor.urlPath ?? "/"
            if let version = monitor.httpVersion {
                lines.append("option httpchk \(method) \(path) HTTP/\(httpVersionText(version))")
                if version == 1.1, let domain = monitor.domainName, !domain.isEmpty {
                    lines.append("http-check send hdr Host \(domain)")
                }
            } else {
                lines.append("option httpchk \(method) \(path)")
            }
            lines.append("http-check expect rstatus \(ExpectedCodes.haproxyPattern(monitor.expectedCodes))")
        case .ping:
            lines.append("option external-check")
            lines.append("external-check command \(settings.pingWrapperPath)")
        case .tlsHello:
            lines.append("option ssl-hello-chk")
        case .tcp, .udpConnect, .sctp:
            break
        }
        return lines
    }

    /// `1.0` / `1.1`, as Python prints the float.
    static func httpVersionText(_ version: Double) -> String {
        version == version.rounded() ? "\(Int(version)).0" : "\(version)"
    }

    /// Header insertion driven by the listener's `insert_headers` (values are "true"/"false").
    static func headerLines(listener: Listener, pool: Pool) -> [String] {
        let headers = listener.insertHeaders.value
        func wanted(_ name: String) -> Bool { headers[name]?.lowercased() == "true" }
        var lines: [String] = []
        if pool.protocol == .http {
            if wanted("X-Forwarded-For") { lines.append("option forwardfor") }
            if wanted("X-Forwarded-Port") { lines.append("http-request set-header X-Forwarded-Port %[dst_port]") }
        }
        if wanted("X-Forwarded-Proto"), listener.protocol == .http {
            lines.append("http-request set-header X-Forwarded-Proto http")
        }
        return lines
    }

    /// `server <member_id> <ip>:<port> weight <w> ...`; weight 0 drains, `disabled` is admin down.
    static func serverLine(_ member: Member, pool: Pool, healthMonitor: HealthMonitor?, listener: Listener) -> String {
        var words = ["server", member.id.rawValue, "\(member.address):\(member.protocolPort)", "weight", "\(member.weight)"]
        if let monitor = healthMonitor {
            words.append("check")
            if monitor.type == .https { words += ["check-ssl", "verify", "none"] }
            words += ["inter", "\(monitor.delay)s", "fall", "\(monitor.maxRetriesDown)", "rise", "\(monitor.maxRetries)"]
            if let address = member.monitorAddress, !address.isEmpty { words += ["addr", address] }
            if let port = member.monitorPort { words += ["port", "\(port)"] }
        }
        if pool.sessionPersistence?.value.type == .httpCookie { words += ["cookie", member.id.rawValue] }
        if let option = sendProxyOption(pool: pool, listener: listener) { words.append(option) }
        if member.backup { words.append("backup") }
        if !member.adminStateUp { words.append("disabled") }
        return words.joined(separator: " ")
    }
}
