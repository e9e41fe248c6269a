/// A load balancer with everything below it, as the renderer and the flows need it.
public struct LoadBalancerGraph: Sendable, Equatable {
    public var loadBalancer: LoadBalancer
    public var listeners: [Listener]
    public var pools: [Pool]
    public var members: [Member]
    public var healthMonitors: [HealthMonitor]
    public var amphorae: [Amphora]

    public init(loadBalancer: LoadBalancer, listeners: [Listener] = [], pools: [Pool] = [], members: [Member] = [],
                healthMonitors: [HealthMonitor] = [], amphorae: [Amphora] = []) {
        self.loadBalancer = loadBalancer; self.listeners = listeners; self.pools = pools
        self.members = members; self.healthMonitors = healthMonitors; self.amphorae = amphorae
    }

    public func members(of pool: Pool.ID) -> [Member] { members.filter { $0.poolID == pool } }
    public func healthMonitor(of pool: Pool.ID) -> HealthMonitor? { healthMonitors.first { $0.poolID == pool } }
    public func pool(_ id: Pool.ID) -> Pool? { pools.first { $0.id == id } }
    /// Listeners whose default pool is `pool`.
    public func listeners(using pool: Pool.ID) -> [Listener] { listeners.filter { $0.defaultPoolID == pool } }
}
