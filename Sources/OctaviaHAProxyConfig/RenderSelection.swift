import Foundation
import OctaviaCore

/// What goes into one haproxy.cfg, filtered and in output order.
///
/// Order (stable for golden files and for reload diffs): listeners by `protocolPort` then id;
/// each listener's default pool; members by `createdAt` then id.
struct RenderSelection {
    struct PoolEntry {
        var pool: Pool
        var mode: HAProxyMode
        var members: [Member]
        /// Only an enabled (admin up) and renderable monitor.
        var healthMonitor: HealthMonitor?
        /// Client certificate / CA / CRL paths when the pool re-encrypts.
        var tlsFiles: TLSFilePaths.PoolFiles?
    }

    /// An L7 policy to render: enabled, not going away, with at least one enabled rule.
    struct PolicyEntry {
        var policy: L7Policy
        /// Enabled rules, by `createdAt` then id.
        var rules: [L7Rule]
        /// For REDIRECT_TO_POOL: the pool's backend, nil when the pool is disabled or going away
        /// (then the policy renders its ACLs but no `use_backend`, as in Octavia).
        var redirectPool: PoolEntry?
    }

    struct ListenerEntry {
        var listener: Listener
        var mode: HAProxyMode
        var pool: PoolEntry?
        /// By action precedence, then position.
        var policies: [PolicyEntry] = []
        /// Backends for L7 redirect pools other than the default pool, in order of first use.
        var redirectPools: [PoolEntry] = []
        /// Set when the listener terminates TLS (TERMINATED_HTTPS, or PROMETHEUS given certificates).
        var tlsFiles: TLSFilePaths.ListenerFiles?
    }

    var loadBalancer: LoadBalancer
    var listeners: [ListenerEntry] = []
    /// TERMINATED_HTTPS listeners whose certificate files were not given: left out.
    var deferredListeners: [Listener] = []

    init(graph: LoadBalancerGraph, tls: TLSFilePaths = TLSFilePaths()) {
        loadBalancer = graph.loadBalancer
        let lb = graph.loadBalancer
        guard lb.adminStateUp, lb.provisioningStatus.isRenderable, lb.vipAddress != nil else { return }

        let candidates = graph.listeners
            .filter { $0.loadBalancerID == lb.id && $0.adminStateUp && $0.provisioningStatus.isRenderable }
            .sorted { ($0.protocolPort, $0.id) < ($1.protocolPort, $1.id) }
        for listener in candidates {
            switch listener.protocol.haproxyRendering {
            case .frontend(let mode):
                let files = tls.listeners[listener.id]
                if listener.protocol == .terminatedHTTPS, files == nil {
                    deferredListeners.append(listener)
                    continue
                }
                let pool = listener.defaultPoolID.flatMap { Self.poolEntry($0, listenerMode: mode, graph: graph, tls: tls) }
                var entry = ListenerEntry(listener: listener, mode: mode, pool: pool, tlsFiles: files)
                if mode == .http { Self.addPolicies(to: &entry, graph: graph, tls: tls) }
                listeners.append(entry)
            case .notHAProxy:
                continue
            }
        }
    }

    /// L7 policies only exist on HTTP-mode listeners; each REDIRECT_TO_POOL pool gets one backend per listener.
    private static func addPolicies(to entry: inout ListenerEntry, graph: LoadBalancerGraph, tls: TLSFilePaths) {
        var backends = Set([entry.pool?.pool.id].compactMap { $0 })
        for policy in graph.l7Policies(of: entry.listener.id)
        where policy.adminStateUp && policy.provisioningStatus.isRenderable {
            let rules = graph.l7Rules(of: policy.id)
                .filter { $0.adminStateUp && $0.provisioningStatus.isRenderable }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            guard !rules.isEmpty else { continue }
            var redirect: PoolEntry?
            if policy.action == .redirectToPool, let poolID = policy.redirectPoolID {
                redirect = poolEntry(poolID, listenerMode: entry.mode, graph: graph, tls: tls)
                if let redirect, backends.insert(poolID).inserted { entry.redirectPools.append(redirect) }
            }
            entry.policies.append(PolicyEntry(policy: policy, rules: rules, redirectPool: redirect))
        }
        // HAProxy always runs `http-request` rules, then `redirect`s, then `use_backend`, whatever the
        // line order (and warns when the lines say otherwise). Octavia documents the same precedence
        // (REJECT, then URL/prefix redirects, then pool redirects; by position within each), so the
        // lines are grouped that way: same behaviour, no warnings.
        entry.policies = entry.policies.enumerated()
            .sorted { ($0.element.policy.action.haproxyPrecedence, $0.offset) < ($1.element.policy.action.haproxyPrecedence, $1.offset) }
            .map(\.element)
    }

    private static func poolEntry(
        _ id: Pool.ID, listenerMode: HAProxyMode, graph: LoadBalancerGraph, tls: TLSFilePaths
    ) -> PoolEntry? {
        guard let pool = graph.pool(id), pool.adminStateUp, pool.provisioningStatus.isRenderable,
              let mode = pool.protocol.haproxyMode(listenerMode: listenerMode)
        else { return nil }
        let members = graph.members(of: id)
            .filter { $0.provisioningStatus.isRenderable }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let monitor = graph.healthMonitors
            .filter { $0.poolID == id && $0.adminStateUp && $0.provisioningStatus.isRenderable }
            .min { $0.id < $1.id }
        return PoolEntry(pool: pool, mode: mode, members: members, healthMonitor: monitor, tlsFiles: tls.pools[id])
    }
}
