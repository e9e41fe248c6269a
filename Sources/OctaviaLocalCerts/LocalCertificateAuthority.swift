import Crypto
import Foundation
import OctaviaCore
import SwiftASN1
import X509

/// A file-backed certificate authority for agent mTLS (Octavia's `local_cert_generator`).
///
/// One CA signs both sides: the controller's client certificate and every amphora's server
/// certificate, so `serverCAPEM` and `clientCAPEM` are the same PEM. Files in `directory`:
/// - `ca.pem`: the CA certificate;
/// - `ca.key`: its P-256 key, mode 0600;
/// - `client.pem`: the controller's client certificate followed by its key, mode 0600.
///
/// Existing files are reused on restart, so amphorae built before a restart keep trusting the
/// controller. `client.pem` is reissued when it is missing, expired or signed by another CA.
public final class LocalCertificateAuthority: CertificateGenerator, Sendable {
    /// Common name of the controller's client certificate.
    public static let controllerCommonName = "octavia-controller"
    static let caCommonName = "Octavia Local CA"

    public let directory: String
    public let serverCAPEM: String
    public var clientCAPEM: String { serverCAPEM }
    /// Certificate PEM followed by key PEM, for the controller's agent client.
    public let controllerClientPEM: String

    private let caCertificate: Certificate
    private let caKey: Certificate.PrivateKey

    /// Loads the CA from `directory`, or creates it (and the directory, mode 0700) at first start.
    /// - Parameters:
    ///   - directory: where `ca.pem`, `ca.key` and `client.pem` live.
    ///   - validity: lifetime of a newly created CA and controller client certificate.
    public init(directory: String, validity: Duration = .seconds(10 * 365 * 86400)) throws {
        self.directory = directory
        let caPath = "\(directory)/ca.pem", keyPath = "\(directory)/ca.key", clientPath = "\(directory)/client.pem"
        try SecureFile.makeDirectory(directory)

        let created: Bool
        switch (SecureFile.exists(caPath), SecureFile.exists(keyPath)) {
        case (true, true):
            caCertificate = try PEMFiles.certificate(in: SecureFile.read(caPath), path: caPath)
            caKey = try PEMFiles.privateKey(in: SecureFile.read(keyPath), path: keyPath)
            guard caKey.publicKey == caCertificate.publicKey else {
                throw LocalCertificateError.incompleteAuthority(keyPath, "the key does not belong to \(caPath)")
            }
            created = false
        case (false, false):
            (caCertificate, caKey) = try Self.makeAuthority(validity: validity)
            // Key first: a crash in between leaves a key without a cert, which is reported, never a cert without key.
            try SecureFile.write(PEMFiles.pem(caKey), to: keyPath, mode: 0o600)
            try SecureFile.write(PEMFiles.pem(caCertificate), to: caPath, mode: 0o644)
            created = true
        case (true, false):
            throw LocalCertificateError.incompleteAuthority(keyPath, "missing while \(caPath) exists; restore it or remove both")
        case (false, true):
            throw LocalCertificateError.incompleteAuthority(caPath, "missing while \(keyPath) exists; restore it or remove both")
        }
        serverCAPEM = try PEMFiles.pem(caCertificate)

        if !created, SecureFile.exists(clientPath),
           try Self.isUsableClientPEM(SecureFile.read(clientPath), path: clientPath, ca: caCertificate) {
            controllerClientPEM = try SecureFile.read(clientPath)
        } else {
            let issued = try Self.issue(
                commonName: Self.controllerCommonName, dnsName: nil, usage: .clientAuth, validity: validity,
                ca: caCertificate, caKey: caKey)
            try SecureFile.write(issued.pem, to: clientPath, mode: 0o600)
            controllerClientPEM = issued.pem
        }
    }

    /// Issues an amphora agent's server certificate: CN and DNS SAN = the amphora id, EKU serverAuth, P-256 key.
    public func issueAmphoraCertificate(for amphora: Amphora.ID, validity: Duration) throws -> IssuedCertificate {
        try Self.issue(
            commonName: amphora.rawValue, dnsName: amphora.rawValue, usage: .serverAuth, validity: validity,
            ca: caCertificate, caKey: caKey)
    }

    // MARK: - Building certificates

    private static func makeAuthority(validity: Duration) throws -> (Certificate, Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("Octavia")
            CommonName(caCommonName)
        }
        let now = Date()
        do {
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: key.publicKey,
                notValidBefore: now - clockSkew, notValidAfter: now + seconds(validity),
                issuer: name, subject: name,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: key.publicKey)
                },
                issuerPrivateKey: key)
            return (certificate, key)
        } catch {
            throw LocalCertificateError.signingFailed("CA certificate: \(error)")
        }
    }

    private static func issue(
        commonName: String, dnsName: String?, usage: ExtendedKeyUsage.Usage, validity: Duration,
        ca: Certificate, caKey: Certificate.PrivateKey
    ) throws -> IssuedCertificate {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let now = Date()
        let expiry = now + seconds(validity)
        do {
            let authorityKeyID = try ca.extensions.subjectKeyIdentifier?.keyIdentifier
                ?? SubjectKeyIdentifier(hash: ca.publicKey).keyIdentifier
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: key.publicKey,
                notValidBefore: now - clockSkew, notValidAfter: expiry,
                issuer: ca.subject,
                subject: try DistinguishedName {
                    OrganizationName("Octavia")
                    CommonName(commonName)
                },
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    if let dnsName { SubjectAlternativeNames([.dnsName(dnsName)]) }
                    SubjectKeyIdentifier(hash: key.publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                },
                issuerPrivateKey: caKey)
            // notValidAfter, not `expiry`: X.509 keeps whole seconds.
            return IssuedCertificate(
                pem: try PEMFiles.pem(certificate) + PEMFiles.pem(key), expiresAt: certificate.notValidAfter)
        } catch {
            throw LocalCertificateError.signingFailed("certificate for \(commonName): \(error)")
        }
    }

    /// A stored client.pem is kept when it parses, was signed by this CA and is not about to expire.
    private static func isUsableClientPEM(_ text: String, path: String, ca: Certificate) throws -> Bool {
        let certificate = try PEMFiles.certificate(in: text, path: path)
        let key = try PEMFiles.privateKey(in: text, path: path)
        return key.publicKey == certificate.publicKey
            && certificate.issuer == ca.subject
            && ca.publicKey.isValidSignature(certificate.signature, for: certificate)
            && certificate.notValidAfter > Date() + 86400
    }

    /// Tolerates clocks that differ slightly between controller and amphora.
    private static let clockSkew: TimeInterval = 300

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (whole, fraction) = duration.components
        return TimeInterval(whole) + TimeInterval(fraction) / 1e18
    }
}
