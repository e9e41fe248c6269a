/// Talks to the agent inside an amphora (Octavia's `amphora_haproxy_rest_driver`).
public protocol AmphoraDriver: Sendable {
    /// Waits until the agent answers, or throws after `timeout`.
    func waitForAgent(_ amphora: Amphora, timeout: Duration) async throws
    func plugVIP(_ amphora: Amphora, _ plug: VIPPlug) async throws
    func plugNetwork(_ amphora: Amphora, _ plug: NetworkPlug) async throws
    /// Uploads the rendered haproxy.cfg (the agent validates it) and starts or reloads HAProxy.
    func applyHAProxyConfig(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, config: String) async throws
    /// Stops HAProxy for the load balancer and removes its files. Idempotent.
    func removeLoadBalancer(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws
}
