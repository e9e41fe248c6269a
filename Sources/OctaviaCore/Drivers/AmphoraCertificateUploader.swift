/// Pushes a new agent server certificate to an amphora (Octavia's `upload_cert_amp`, agent
/// `PUT /1.0/certificate`); the agent swaps its TLS certificate for new connections.
///
/// In Core (not in housekeeping) so the amphora drivers can implement it beside ``AmphoraDriver``.
public protocol AmphoraCertificateUploader: Sendable {
    /// `pem`: the certificate followed by its private key.
    func uploadServerCertificate(_ amphora: Amphora, pem: String) async throws
}
