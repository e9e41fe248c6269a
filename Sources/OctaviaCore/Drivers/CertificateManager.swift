import Foundation

/// A certificate with its private key, as a TLS-terminating listener or a pool's client side presents it.
public struct TLSCertificateBundle: Sendable, Equatable {
    /// The reference the user gave (`default_tls_container_ref`, an SNI ref, a pool's `tls_container_ref`).
    public var reference: String
    /// The leaf certificate, PEM.
    public var certificatePEM: String
    /// The leaf's private key, PEM, unencrypted (a passphrase is applied by the manager).
    public var privateKeyPEM: String
    /// Intermediate certificates, PEM, leaf-most first.
    public var intermediatesPEM: [String]

    public init(reference: String, certificatePEM: String, privateKeyPEM: String, intermediatesPEM: [String] = []) {
        self.reference = reference; self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM; self.intermediatesPEM = intermediatesPEM
    }

    /// Certificate, intermediates, then key: the single PEM file HAProxy loads with `crt`.
    public var combinedPEM: String {
        ([certificatePEM] + intermediatesPEM + [privateKeyPEM])
            .map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }
            .joined()
    }
}

/// Why a reference could not be used; the API turns both into a 400 naming the reference.
public enum CertificateManagerError: Error, Sendable, Equatable {
    /// No object behind the reference (or not visible to the project).
    case notFound(reference: String)
    /// The object exists but is not what the field needs (bad PEM, key does not match, wrong passphrase).
    case unreadable(reference: String, reason: String)
}

/// Where TLS certificates, CA bundles and CRLs referenced by listeners and pools are kept
/// (Octavia's `cert_manager`: local files by default, Barbican later behind the same protocol).
public protocol CertificateManager: Sendable {
    /// A certificate and key: listener default/SNI certificates, a pool's client certificate.
    func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle
    /// A raw PEM secret: client CA bundles and CRLs, pool CA bundles and CRLs.
    func secret(_ reference: String, project: ProjectID) async throws -> String
}
