import Foundation

public struct IssuedCertificate: Sendable {
    /// Certificate PEM followed by its private key PEM.
    public var pem: String
    public var expiresAt: Date

    public init(pem: String, expiresAt: Date) {
        self.pem = pem; self.expiresAt = expiresAt
    }
}

/// Issues the per-amphora agent server certificates (Octavia's `local_cert_generator`).
public protocol CertificateGenerator: Sendable {
    /// The CA that the controller's agent client trusts.
    var serverCAPEM: String { get }
    /// The CA that amphora agents trust for controller client certificates.
    var clientCAPEM: String { get }
    /// A server certificate whose CN and DNS name are the amphora id.
    func issueAmphoraCertificate(for amphora: Amphora.ID, validity: Duration) throws -> IssuedCertificate
}
