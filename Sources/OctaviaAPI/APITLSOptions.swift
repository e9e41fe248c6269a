import OctaviaCore

/// `[api_settings]` TLS options, `allow_*_listeners`, and the certificate manager the API resolves
/// listener and pool references with. Defaults are Octavia's.
public struct APITLSOptions: Sendable {
    /// `allow_tls_terminated_listeners`.
    public var allowTLSTerminatedListeners = true
    /// `allow_prometheus_listeners`.
    public var allowPrometheusListeners = true
    /// `default_listener_ciphers` / `default_pool_ciphers`.
    public var defaultListenerCiphers = APITLSOptions.octaviaCiphers
    public var defaultPoolCiphers = APITLSOptions.octaviaCiphers
    /// `default_listener_tls_versions` / `default_pool_tls_versions`.
    public var defaultListenerTLSVersions = ["TLSv1.2", "TLSv1.3"]
    public var defaultPoolTLSVersions = ["TLSv1.2", "TLSv1.3"]
    /// `default_listener_alpn_protocols` / `default_pool_alpn_protocols`.
    public var defaultListenerALPNProtocols = APITLSOptions.alpnProtocols
    public var defaultPoolALPNProtocols = APITLSOptions.alpnProtocols
    /// `tls_cipher_prohibit_list`, split at `:`.
    public var cipherProhibitList: [String] = []
    /// `minimum_tls_version`; nil = no minimum.
    public var minimumTLSVersion: String?
    /// `[certificates] cert_manager`: resolves `*_container_ref`s.
    public var certificateManager: any CertificateManager = UnavailableCertificateManager()
    /// Parses CA bundles and CRLs for the CA/CRL rules.
    public var x509Inspector: any X509Inspector = PEMStructureInspector()

    /// TLS versions Octavia knows, oldest first.
    public static let versions = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    /// ALPN protocols the amphora supports.
    public static let alpnProtocols = ["h2", "http/1.1", "http/1.0"]
    static let octaviaCiphers = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
        + "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
        + "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305"

    public init() {}
}

/// Why a CRL was refused.
public enum RevocationListProblem: Sendable, Equatable {
    /// Not a parseable PEM CRL.
    case invalid(String)
    /// Parseable, but its signature does not verify with the CA's key.
    case notSignedByAuthority
}

/// Parses X.509 material for the API's CA and CRL rules (the API target has no X.509 library;
/// the executable injects an implementation that has one).
public protocol X509Inspector: Sendable {
    /// nil when `pem` holds a valid PEM X.509 certificate; else the parser's reason.
    func certificateProblem(_ pem: String) async -> String?
    /// nil when `crlPEM` holds a valid PEM CRL signed by the first certificate of `caPEM`.
    func revocationListProblem(_ crlPEM: String, issuer caPEM: String) async -> RevocationListProblem?
}

/// Only checks that the PEM blocks are there: enough for tests and the noop rig; it cannot verify signatures.
public struct PEMStructureInspector: X509Inspector {
    public init() {}

    public func certificateProblem(_ pem: String) async -> String? {
        pem.contains("-----BEGIN CERTIFICATE-----") && pem.contains("-----END CERTIFICATE-----")
            ? nil : "no PEM CERTIFICATE block"
    }

    public func revocationListProblem(_ crlPEM: String, issuer caPEM: String) async -> RevocationListProblem? {
        crlPEM.contains("-----BEGIN X509 CRL-----") && crlPEM.contains("-----END X509 CRL-----")
            ? nil : .invalid("no PEM X509 CRL block")
    }
}
