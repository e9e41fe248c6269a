/// The certificate manager when none is configured: every reference is unknown, so the API
/// answers 400 "Could not retrieve certificate" and the worker fails the flow instead of
/// rendering a listener without its certificate.
public struct UnavailableCertificateManager: CertificateManager {
    public init() {}

    public func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle {
        throw CertificateManagerError.notFound(reference: reference)
    }

    public func secret(_ reference: String, project: ProjectID) async throws -> String {
        throw CertificateManagerError.notFound(reference: reference)
    }
}
