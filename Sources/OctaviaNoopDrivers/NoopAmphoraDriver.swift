import OctaviaCore

/// An amphora driver that only records calls (Octavia's `amphora_noop_driver`).
public actor NoopAmphoraDriver: AmphoraDriver, AmphoraCertificateUploader {
    public private(set) var calls: [String] = []
    /// Last configuration pushed per load balancer.
    public private(set) var configs: [LoadBalancer.ID: String] = [:]
    /// TLS files uploaded per load balancer, by file name.
    public private(set) var certificateFiles: [LoadBalancer.ID: [String: String]] = [:]
    /// Agent server certificates pushed per amphora (certificate rotation), last one wins.
    public private(set) var serverCertificates: [Amphora.ID: String] = [:]
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

    public func uploadCertificateFile(
        _ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String, pem: String
    ) async throws {
        calls.append("uploadCertificateFile \(amphora.id) \(filename)")
        certificateFiles[loadBalancerID, default: [:]][filename] = pem
    }

    public func certificateFileMD5(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws -> String? {
        calls.append("certificateFileMD5 \(amphora.id) \(filename)")
        return certificateFiles[loadBalancerID]?[filename].map(FileDigest.md5Hex)
    }

    public func deleteCertificateFile(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID, filename: String) async throws {
        calls.append("deleteCertificateFile \(amphora.id) \(filename)")
        certificateFiles[loadBalancerID]?[filename] = nil
    }

    public func removeLoadBalancer(_ amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws {
        calls.append("removeLoadBalancer \(amphora.id)")
        configs[loadBalancerID] = nil
        certificateFiles[loadBalancerID] = nil
    }

    public func uploadServerCertificate(_ amphora: Amphora, pem: String) async throws {
        calls.append("uploadServerCertificate \(amphora.id)")
        serverCertificates[amphora.id] = pem
    }
}
