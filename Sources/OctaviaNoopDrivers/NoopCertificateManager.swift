import OctaviaCore

/// `noop_cert_manager`: every reference resolves, so the noop-driver rig can exercise the TLS API
/// without a certificate store. Certificates are one fixed self-signed P-256 certificate
/// (CN noop-cert-manager.invalid, valid until 2126) with its key; secrets are that certificate
/// followed by a CRL it signed, so a noop reference works both as a CA bundle and as a CRL.
/// The key is public test material: never use this manager with real traffic.
public struct NoopCertificateManager: CertificateManager {
    public init() {}

    public func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle {
        TLSCertificateBundle(reference: reference, certificatePEM: Self.certificatePEM, privateKeyPEM: Self.privateKeyPEM)
    }

    public func secret(_ reference: String, project: ProjectID) async throws -> String {
        Self.certificatePEM + Self.revocationListPEM
    }

    public static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIICBzCCAa2gAwIBAgIUZ5i0H1VvnOCbfFFOF0qSB1kcVoowCgYIKoZIzj0EAwIw
PDEWMBQGA1UECgwNU3dpZnQgT2N0YXZpYTEiMCAGA1UEAwwZbm9vcC1jZXJ0LW1h
bmFnZXIuaW52YWxpZDAgFw0yNjExMjYxNzE1NTlaGA8yMTI2MTEwMjE3MTU1OVow
PDEWMBQGA1UECgwNU3dpZnQgT2N0YXZpYTEiMCAGA1UEAwwZbm9vcC1jZXJ0LW1h
bmFnZXIuaW52YWxpZDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFS3YO6l4808
1ydQHFxutsxaf6fMM9X2sP+uEtqn/fHuzkQsd01KzxsXSZBAzy9UNVaEFNKxTLPG
9aMWamEpjG+jgYowgYcwHQYDVR0OBBYEFPQgc+tPim76tbosC1Hwl0tkO/GsMB8G
A1UdIwQYMBaAFPQgc+tPim76tbosC1Hwl0tkO/GsMCQGA1UdEQQdMBuCGW5vb3At
Y2VydC1tYW5hZ2VyLmludmFsaWQwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8E
BAMCAYYwCgYIKoZIzj0EAwIDSAAwRQIhAIJVG/RtO+7YGSFTI2r8R6gZywdKhH9K
ShO2YBm+o816AiB9F3/XgaeUMTCa5y2P7qnf+FKnBwd8QPSLfnZEzUt5Fw==
-----END CERTIFICATE-----
"""

    public static let privateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4LEL9HArLFoEWrFc
BTS1WfLAi5cC+KiAys5iqbelniuhRANCAARUt2DupePNPNcnUBxcbrbMWn+nzDPV
9rD/rhLap/3x7s5ELHdNSs8bF0mQQM8vVDVWhBTSsUyzxvWjFmphKYxv
-----END PRIVATE KEY-----
"""

    public static let revocationListPEM = """
-----BEGIN X509 CRL-----
MIHVMH0CAQEwCgYIKoZIzj0EAwIwPDEWMBQGA1UECgwNU3dpZnQgT2N0YXZpYTEi
MCAGA1UEAwwZbm9vcC1jZXJ0LW1hbmFnZXIuaW52YWxpZBcNMjYxMTI2MTcxNTU5
WhgPMjEyNjExMDIxNzE1NTlaoA4wDDAKBgNVHRQEAwIBATAKBggqhkjOPQQDAgNI
ADBFAiEAmDHL4MQz2CqSOf6oxwGcNngRSOGKSq+Z7YHh5aQxWOICID1AbzKKunoV
9csnmJQedO0kLOQGrcin9Z1W/q9sx/3m
-----END X509 CRL-----
"""
}
