import Foundation
import OctaviaCore
import SwiftASN1
import X509

/// Parses and checks certificate material before it is stored or handed out: the certificate and
/// key must be PEM, the key must belong to the certificate, intermediates must be certificates.
enum CertificateBundleCheck {
    static func bundle(reference: String, certificatePEM: String, privateKeyPEM: String, intermediatesPEM: String)
        throws -> TLSCertificateBundle
    {
        func unreadable(_ reason: String) -> CertificateManagerError { .unreadable(reference: reference, reason: reason) }
        let certificateBlocks = try blocks(certificatePEM, reference: reference).filter { $0.discriminator == "CERTIFICATE" }
        guard let leafBlock = certificateBlocks.first else { throw unreadable("no CERTIFICATE block in the certificate") }
        let leaf: Certificate
        do { leaf = try Certificate(pemDocument: leafBlock) } catch { throw unreadable("bad certificate: \(error)") }
        guard let keyBlock = try blocks(privateKeyPEM, reference: reference).first(where: { $0.discriminator.hasSuffix("PRIVATE KEY") })
        else {
            throw unreadable("no PRIVATE KEY block in the key (encrypted keys must be decrypted first)")
        }
        if keyBlock.discriminator == "ENCRYPTED PRIVATE KEY" {
            throw unreadable("the private key is encrypted; give its passphrase")
        }
        let key: Certificate.PrivateKey
        do { key = try Certificate.PrivateKey(pemDocument: keyBlock) } catch { throw unreadable("bad private key: \(error)") }
        guard key.publicKey == leaf.publicKey else { throw unreadable("the private key does not match the certificate") }
        // Extra certificates in the certificate file count as intermediates, after the explicit ones' file order.
        var chain = Array(certificateBlocks.dropFirst())
        chain += try blocks(intermediatesPEM, reference: reference).filter { $0.discriminator == "CERTIFICATE" }
        for block in chain {
            do { _ = try Certificate(pemDocument: block) } catch { throw unreadable("bad intermediate certificate: \(error)") }
        }
        return TLSCertificateBundle(
            reference: reference, certificatePEM: leafBlock.pemString + "\n", privateKeyPEM: keyBlock.pemString + "\n",
            intermediatesPEM: chain.map { $0.pemString + "\n" })
    }

    /// A secret must hold at least one parseable certificate or a CRL block.
    static func secret(reference: String, pem: String) throws {
        let found = try blocks(pem, reference: reference)
        let certificates = found.filter { $0.discriminator == "CERTIFICATE" }
        for block in certificates {
            do { _ = try Certificate(pemDocument: block) } catch {
                throw CertificateManagerError.unreadable(reference: reference, reason: "bad certificate: \(error)")
            }
        }
        if certificates.isEmpty && !found.contains(where: { $0.discriminator == "X509 CRL" }) {
            throw CertificateManagerError.unreadable(reference: reference, reason: "no CERTIFICATE or X509 CRL block")
        }
    }

    static func describe(_ bundle: TLSCertificateBundle) throws -> LocalCertificateEntry {
        let leaf = try Certificate(pemEncoded: bundle.certificatePEM)
        return LocalCertificateEntry(
            reference: bundle.reference, kind: .certificate, subject: leaf.subject.description,
            dnsNames: dnsNames(leaf), notValidAfter: leaf.notValidAfter,
            intermediates: bundle.intermediatesPEM.count, revocationLists: 0)
    }

    static func describeSecret(reference: String, pem: String) -> LocalCertificateEntry {
        let found = (try? PEMDocument.parseMultiple(pemString: pem)) ?? []
        let certificates = found.filter { $0.discriminator == "CERTIFICATE" }.compactMap { try? Certificate(pemDocument: $0) }
        return LocalCertificateEntry(
            reference: reference, kind: .secret, subject: certificates.first?.subject.description,
            dnsNames: certificates.first.map(dnsNames) ?? [], notValidAfter: certificates.first?.notValidAfter,
            intermediates: max(0, certificates.count - 1),
            revocationLists: found.filter { $0.discriminator == "X509 CRL" }.count)
    }

    private static func dnsNames(_ certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            if case .dnsName(let dns) = name { return dns }
            return nil
        }
    }

    private static func blocks(_ text: String, reference: String) throws -> [PEMDocument] {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
        do {
            return try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw CertificateManagerError.unreadable(reference: reference, reason: "not PEM: \(error)")
        }
    }
}
