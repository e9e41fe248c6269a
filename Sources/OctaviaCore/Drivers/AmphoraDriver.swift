/// Talks to the agent inside an amphora (Octavia's `amphora_haproxy_rest_driver`).
public protocol AmphoraDriver: Sendable {
    /// Waits until the agent answers, or throws after `timeout`.
    func waitForAgent(_ amphora: Amphora, timeout: Duration) async throws
    func plugVIP(_ amphora: Amphora, _ plug: VIPPlug) async throws
    func plugNetwork(_ amphora: Amphora, _ plug: NetworkPlug) async throws
    /// Uploads the rendered haproxy.cfg (the agent validates it) and starts or reloads HAProxy.
    func applyHAProxyConfig(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, config: String) async throws
    /// Stores one TLS file (certificate+key, crt-list, CA bundle or CRL) in the load balancer's
    /// certificate directory on the amphora; `filename` is a plain `*.pem` name.
    func uploadCertificateFile(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String, pem: String) async throws
    /// MD5 (lowercase hex) of the stored file, nil when the amphora has none: uploads are skipped when it matches.
    func certificateFileMD5(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws -> String?
    /// Removes one TLS file. Idempotent.
    func deleteCertificateFile(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws
    /// Stops HAProxy for the load balancer and removes its files. Idempotent.
    func removeLoadBalancer(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws
}
