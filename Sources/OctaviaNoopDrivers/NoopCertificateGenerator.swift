import Foundation
import OctaviaCore

/// Issues placeholder certificates for flows that never talk TLS (noop amphora driver).
public struct NoopCertificateGenerator: CertificateGenerator {
    public init() {}
    public var serverCAPEM: String { "" }
    public var clientCAPEM: String { "" }
    public func issueAmphoraCertificate(for amphora: Amphora.ID, validity: Duration) throws -> IssuedCertificate {
        IssuedCertificate(pem: "", expiresAt: Date().addingTimeInterval(Double(validity.components.seconds)))
    }
}
