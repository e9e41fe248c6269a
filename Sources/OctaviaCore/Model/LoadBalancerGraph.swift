/// A load balancer with everything below it, as the renderer and the flows need it.
public struct LoadBalancerGraph: Sendable, Equatable {
    public var loadBalancer: LoadBalancer
    public var listeners: [Listener]
    public var pools: [Pool]
    public var members: [Member]
    public var healthMonitors: [HealthMonitor]
    public var amphorae: [Amphora]
    public var l7Policies: [L7Policy]
    public var l7Rules: [L7Rule]

    public init(loadBalancer: LoadBalancer, listeners: [Listener] = [], pools: [Pool] = [], members: [Member] = [],
                healthMonitors: [HealthMonitor] = [], amphorae: [Amphora] = [], l7Policies: [L7Policy] = [],
                l7Rules: [L7Rule] = []) {
        self.loadBalancer = loadBalancer; self.listeners = listeners; self.pools = pools
        self.members = members; self.healthMonitors = healthMonitors; self.amphorae = amphorae
        self.l7Policies = l7Policies; self.l7Rules = l7Rules
    }

    public func members(of pool: Pool.ID) -> [Member] { members.filter { $0.poolID == pool } }
    public func healthMonitor(of pool: Pool.ID) -> HealthMonitor? { healthMonitors.first { $0.poolID == pool } }
    public func pool(_ id: Pool.ID) -> Pool? { pools.first { $0.id == id } }
    /// Listeners whose default pool is `pool`.
    public func listeners(using pool: Pool.ID) -> [Listener] { listeners.filter { $0.defaultPoolID == pool } }

    /// A listener's L7 policies in position order.
    public func l7Policies(of listener: Listener.ID) -> [L7Policy] {
        l7Policies.filter { $0.listenerID == listener }.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }
    public func l7Rules(of policy: L7Policy.ID) -> [L7Rule] { l7Rules.filter { $0.l7PolicyID == policy } }
}
