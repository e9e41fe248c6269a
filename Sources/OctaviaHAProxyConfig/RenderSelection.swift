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
    }

    struct ListenerEntry {
        var listener: Listener
        var mode: HAProxyMode
        var pool: PoolEntry?
    }

    var loadBalancer: LoadBalancer
    var listeners: [ListenerEntry] = []
    /// TERMINATED_HTTPS / PROMETHEUS listeners that would be served but are not rendered yet.
    var deferredListeners: [Listener] = []

    init(graph: LoadBalancerGraph) {
        loadBalancer = graph.loadBalancer
        let lb = graph.loadBalancer
        guard lb.adminStateUp, lb.provisioningStatus.isRenderable, lb.vipAddress != nil else { return }

        let candidates = graph.listeners
            .filter { $0.loadBalancerID == lb.id && $0.adminStateUp && $0.provisioningStatus.isRenderable }
            .sorted { ($0.protocolPort, $0.id) < ($1.protocolPort, $1.id) }
        for listener in candidates {
            switch listener.protocol.haproxyRendering {
            case .frontend(let mode):
                let pool = listener.defaultPoolID.flatMap { Self.poolEntry($0, listenerMode: mode, graph: graph) }
                listeners.append(ListenerEntry(listener: listener, mode: mode, pool: pool))
            case .notRenderedYet:
                deferredListeners.append(listener)
            case .notHAProxy:
                continue
            }
        }
    }

    private static func poolEntry(_ id: Pool.ID, listenerMode: HAProxyMode, graph: LoadBalancerGraph) -> PoolEntry? {
        guard let pool = graph.pool(id), pool.adminStateUp, pool.provisioningStatus.isRenderable,
              let mode = pool.protocol.haproxyMode(listenerMode: listenerMode)
        else { return nil }
        let members = graph.members(of: id)
            .filter { $0.provisioningStatus.isRenderable }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let monitor = graph.healthMonitors
            .filter { $0.poolID == id && $0.adminStateUp && $0.provisioningStatus.isRenderable }
            .min { $0.id < $1.id }
        return PoolEntry(pool: pool, mode: mode, members: members, healthMonitor: monitor)
    }
}
