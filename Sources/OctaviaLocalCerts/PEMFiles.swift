import SwiftASN1
import X509

/// PEM encoding and decoding with errors that name the file.
enum PEMFiles {
    static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }

    static func pem(_ key: Certificate.PrivateKey) throws -> String {
        try key.serializeAsPEM().pemString + "\n"
    }

    /// The first `CERTIFICATE` block of `text`.
    static func certificate(in text: String, path: String) throws -> Certificate {
        let block = try blocks(in: text, path: path).first { $0.discriminator == "CERTIFICATE" }
        guard let block else { throw LocalCertificateError.invalidPEM(path, "no CERTIFICATE block") }
        do {
            return try Certificate(pemDocument: block)
        } catch {
            throw LocalCertificateError.invalidPEM(path, "bad certificate: \(error)")
        }
    }

    /// The first private key block (`PRIVATE KEY`, `EC PRIVATE KEY` or `RSA PRIVATE KEY`) of `text`.
    static func privateKey(in text: String, path: String) throws -> Certificate.PrivateKey {
        let block = try blocks(in: text, path: path).first { $0.discriminator.hasSuffix("PRIVATE KEY") }
        guard let block else { throw LocalCertificateError.invalidPEM(path, "no PRIVATE KEY block") }
        do {
            return try Certificate.PrivateKey(pemDocument: block)
        } catch {
            throw LocalCertificateError.invalidPEM(path, "bad private key: \(error)")
        }
    }

    private static func blocks(in text: String, path: String) throws -> [PEMDocument] {
        do {
            return try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw LocalCertificateError.invalidPEM(path, "\(error)")
        }
    }
}
