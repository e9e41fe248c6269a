import OctaviaCore

/// Amphora-side paths of the TLS files a configuration refers to. The worker resolves the
/// references, names and uploads the files; the renderer only writes the paths it is given, so it
/// stays a pure function of its input.
public struct TLSFilePaths: Sendable, Equatable {
    /// Files of a TLS-terminating listener.
    public struct ListenerFiles: Sendable, Equatable {
        /// HAProxy crt-list: one certificate path per line, the default certificate first.
        public var crtList: String
        /// CA bundle client certificates are verified against (`client_ca_tls_container_ref`).
        public var clientCA: String?
        /// CRL for client certificates (`client_crl_container_ref`).
        public var clientCRL: String?

        public init(crtList: String, clientCA: String? = nil, clientCRL: String? = nil) {
            self.crtList = crtList; self.clientCA = clientCA; self.clientCRL = clientCRL
        }
    }

    /// Files of a pool that re-encrypts to its members (`tls_enabled`).
    public struct PoolFiles: Sendable, Equatable {
        /// Certificate+key presented to members (`tls_container_ref`).
        public var clientCertificate: String?
        /// CA bundle member certificates are verified against (`ca_tls_container_ref`).
        public var ca: String?
        /// CRL for member certificates (`crl_container_ref`).
        public var crl: String?

        public init(clientCertificate: String? = nil, ca: String? = nil, crl: String? = nil) {
            self.clientCertificate = clientCertificate; self.ca = ca; self.crl = crl
        }
    }

    public var listeners: [Listener.ID: ListenerFiles]
    public var pools: [Pool.ID: PoolFiles]

    public init(listeners: [Listener.ID: ListenerFiles] = [:], pools: [Pool.ID: PoolFiles] = [:]) {
        self.listeners = listeners; self.pools = pools
    }
}

extension HAProxyRenderSettings {
    /// `[haproxy_amphora] base_cert_dir`/<lb_id>: where the agent stores the load balancer's TLS
    /// files (the agent's default `base_cert_dir` is `<base_path>/certs`).
    public func certificateDirectory(for loadBalancer: LoadBalancer.ID) -> String {
        "\(basePath)/certs/\(loadBalancer.rawValue)"
    }
}
