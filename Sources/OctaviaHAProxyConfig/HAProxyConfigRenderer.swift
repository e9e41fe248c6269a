import OctaviaCore

/// Renders haproxy.cfg from the object model, following Octavia's `combined_listeners` template.
///
/// Deliberate differences from Octavia, because our HAProxy runs in master-worker mode under the
/// amphora agent inside a network namespace: no `daemon`/`user`/`group`, no `log`/`log-format`
/// (no syslog in a local amphora), an admin stats socket that can hand listeners over
/// (`expose-fd listeners`), `hard-stop-after`, and `option idle-close-on-response` for hitless
/// reloads (see notes/dataplane.md). No `peers` section yet.
///
/// TLS file paths come from the caller (``TLSFilePaths``); a TERMINATED_HTTPS listener without
/// them is named in a comment instead of rendered. UDP/SCTP listeners never belong in HAProxy.
public enum HAProxyConfigRenderer {
    /// Octavia's HAPROXY_MAX_MAXCONN: the global maxconn when the listener sum is out of range.
    static let maximumMaxconn = 1_000_000
    /// Listener timeouts Octavia substitutes for 0 (`[haproxy_amphora] timeout_*`), in ms.
    static let defaultTimeoutClientData = 50000
    static let defaultTimeoutMemberConnect = 5000
    static let defaultTimeoutMemberData = 50000

    /// Renders the one haproxy.cfg for all TCP-family listeners of the load balancer.
    ///
    /// Only enabled objects that are not PENDING_DELETE/DELETED are rendered; nothing is rendered
    /// below `global`/`defaults` when the load balancer is disabled or has no VIP address. Output
    /// order is stable: listeners by `protocolPort` then id, each followed by its default pool's
    /// backend, then its L7 redirect pools' backends; members by `createdAt` then id.
    ///
    /// - Parameters:
    ///   - graph: the load balancer with its listeners, pools, members and monitors.
    ///   - settings: paths and limits from the operator's configuration.
    ///   - tls: amphora-side paths of the certificates, CA bundles and CRLs the worker uploaded.
    /// - Returns: the complete file text, identical for identical input.
    public static func render(
        _ graph: LoadBalancerGraph, settings: HAProxyRenderSettings, tls: TLSFilePaths = TLSFilePaths()
    ) -> String {
        let selection = RenderSelection(graph: graph, tls: tls)
        var sections = [globalSection(selection, settings: settings), defaultsSection()]
        for listener in selection.deferredListeners {
            sections.append(
                "# listener \(listener.id) (\(listener.protocol.rawValue)) is not rendered: "
                    + "its certificate files were not provided\n")
        }
        for entry in selection.listeners {
            sections.append(frontendSection(entry, vipAddress: graph.loadBalancer.vipAddress ?? "", settings: settings).text)
            if let pool = entry.pool {
                sections.append(
                    backendSection(pool, of: entry, loadBalancer: graph.loadBalancer.id, settings: settings).text)
            }
            for pool in entry.redirectPools {
                sections.append(
                    backendSection(pool, of: entry, loadBalancer: graph.loadBalancer.id, settings: settings).text)
            }
        }
        return "# Configuration for loadbalancer \(graph.loadBalancer.id)\n" + sections.joined(separator: "\n")
    }

    static func globalSection(_ selection: RenderSelection, settings: HAProxyRenderSettings) -> String {
        let lb = selection.loadBalancer.id
        var global = ConfigSection("global")
        global.add("stats socket \(settings.statsSocketPath(for: lb)) mode 0600 level admin expose-fd listeners")
        global.add("stats timeout 30s")
        global.add("server-state-file \(settings.serverStateFilePath(for: lb))")
        global.add("maxconn \(globalConnectionLimit(selection, settings: settings))")
        global.add("hard-stop-after 30s")
        if selection.listeners.contains(where: { entry in
            ([entry.pool].compactMap { $0 } + entry.redirectPools).contains { $0.healthMonitor?.type == .ping }
        }) {
            global.add("external-check")
            global.add("insecure-fork-wanted")
        }
        return global.text
    }

    static func defaultsSection() -> String {
        var defaults = ConfigSection("defaults")
        defaults.add("retries 3")
        defaults.add("option redispatch")
        defaults.add("option splice-request")
        defaults.add("option splice-response")
        defaults.add("option http-keep-alive")
        defaults.add("option idle-close-on-response")
        return defaults.text
    }

    /// Sum of the rendered listeners' limits; out of (0, 1_000_000) means 1_000_000 (Octavia),
    /// then capped by the operator's maximum (file-descriptor budget).
    static func globalConnectionLimit(_ selection: RenderSelection, settings: HAProxyRenderSettings) -> Int {
        let sum = selection.listeners.reduce(0) { $0 + connectionLimit(of: $1.listener, settings: settings) }
        let octaviaLimit = (sum > 0 && sum < maximumMaxconn) ? sum : maximumMaxconn
        return min(octaviaLimit, settings.maximumGlobalConnections)
    }

    /// A listener's limit; -1 (unlimited) and 0 mean the configured default, as in Octavia.
    static func connectionLimit(of listener: Listener, settings: HAProxyRenderSettings) -> Int {
        listener.connectionLimit > 0 ? listener.connectionLimit : settings.defaultConnectionLimit
    }

    /// Octavia treats a 0 timeout as "use the configured default".
    static func timeout(_ value: Int, default fallback: Int) -> Int {
        value > 0 ? value : fallback
    }
}
