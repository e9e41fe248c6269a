import OctaviaCore

extension HAProxyConfigRenderer {
    /// `frontend <listener_id>` in Octavia's line order (TLS options come later).
    static func frontendSection(
        _ entry: RenderSelection.ListenerEntry, vipAddress: String, settings: HAProxyRenderSettings
    ) -> ConfigSection {
        let listener = entry.listener
        var frontend = ConfigSection("frontend \(listener.id)")
        frontend.add("maxconn \(connectionLimit(of: listener, settings: settings))")
        for line in tlsFrontendPreamble(entry) { frontend.add(line) }
        frontend.add("bind \(vipAddress):\(listener.protocolPort)" + tlsBindOptions(entry))
        frontend.add("mode \(entry.mode.rawValue)")
        for line in prometheusLines(entry) { frontend.add(line) }
        if entry.mode == .tcp {
            // The defaults' idle-close-on-response is HTTP-only; HAProxy warns on TCP frontends.
            frontend.add("no option idle-close-on-response")
        }
        if let line = allowedSourcesLine(listener) { frontend.add(line) }
        for policy in entry.policies {
            for line in l7PolicyLines(policy, listener: listener.id) { frontend.add(line) }
        }
        if let pool = entry.pool {
            frontend.add("default_backend \(backendName(pool: pool.pool.id, listener: listener.id))")
        }
        frontend.add("timeout client \(timeout(listener.timeoutClientData, default: defaultTimeoutClientData))")
        if listener.timeoutTCPInspect > 0 {
            frontend.add("tcp-request inspect-delay \(listener.timeoutTCPInspect)")
        }
        return frontend
    }

    /// One backend per (pool, listener) pair, as Octavia names them.
    static func backendName(pool: Pool.ID, listener: Listener.ID) -> String {
        "\(pool):\(listener)"
    }
}
