import OctaviaCore

/// An amphora driver that only records calls (Octavia's `amphora_noop_driver`).
public actor NoopAmphoraDriver: AmphoraDriver {
    public private(set) var calls: [String] = []
    /// Last configuration pushed per load balancer.
    public private(set) var configs: [LoadBalancer.ID: String] = [:]
    /// When set, `applyHAProxyConfig` throws this.
    public var failApply: OctaviaError?

    public init() {}

    public func setFailApply(_ error: OctaviaError?) { failApply = error }

    public func waitForAgent(_ amphora: Amphora, timeout: Duration) async throws {
        calls.append("waitForAgent \(amphora.id)")
    }

    public func plugVIP(_ amphora: Amphora, _ plug: VIPPlug) async throws {
        calls.append("plugVIP \(amphora.id) \(plug.vip)")
    }

    public func plugNetwork(_ amphora: Amphora, _ plug: NetworkPlug) async throws {
        calls.append("plugNetwork \(amphora.id) \(plug.ipAddress)")
    }

    public func applyHAProxyConfig(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, config: String) async throws {
        calls.append("applyHAProxyConfig \(amphora.id)")
        if let failApply { throw failApply }
        configs[loadBalancerID] = config
    }

    public func removeLoadBalancer(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws {
        calls.append("removeLoadBalancer \(amphora.id)")
        configs[loadBalancerID] = nil
    }
}
