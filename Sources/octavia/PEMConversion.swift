import ArgumentParser
import Foundation
import OctaviaSystem

/// Turns encrypted keys and PKCS#12 bundles into plain PEM with the `openssl` CLI
/// (swift-certificates reads neither), so the local manager stores decrypted PEM only.
enum PEMConversion {
    struct Material {
        var certificate: String, privateKey: String, intermediates: String
    }

    static let runner = SystemRunner()

    /// The key unchanged when it is not encrypted, else decrypted with `passphrase`.
    static func decryptedKey(_ pem: String, passphrase: String?) async throws -> String {
        guard pem.contains("ENCRYPTED") else { return pem }
        guard let passphrase else { throw ValidationError("the private key is encrypted: give --passphrase") }
        let file = try TemporaryPEM(pem)
        defer { file.remove() }
        let result = try await runner.run(["openssl", "pkey", "-in", file.path, "-passin", "stdin"], input: passphrase + "\n")
        guard result.succeeded else {
            throw ValidationError("cannot decrypt the private key (wrong passphrase?): \(OpenSSLX509Inspector.firstLine(result.error))")
        }
        return result.output
    }

    /// Leaf certificate, key and CA chain of a PKCS#12 file.
    static func fromPKCS12(_ path: String, passphrase: String?) async throws -> Material {
        func extract(_ selection: [String]) async throws -> String {
            let base = ["openssl", "pkcs12", "-in", path, "-passin", "stdin", "-nodes"] + selection
            var result = try await runner.run(base, input: (passphrase ?? "") + "\n")
            // Bundles made with RC2/3DES need OpenSSL 3's legacy provider.
            if !result.succeeded { result = try await runner.run(base + ["-legacy"], input: (passphrase ?? "") + "\n") }
            guard result.succeeded else {
                throw ValidationError("cannot read PKCS#12 \(path) (wrong passphrase?): \(OpenSSLX509Inspector.firstLine(result.error))")
            }
            return pemBlocks(result.output)
        }
        let material = Material(
            certificate: try await extract(["-clcerts", "-nokeys"]),
            privateKey: try await extract(["-nocerts"]),
            intermediates: try await extract(["-cacerts", "-nokeys"]))
        guard !material.certificate.isEmpty, !material.privateKey.isEmpty else {
            throw ValidationError("PKCS#12 \(path) has no certificate with a private key")
        }
        return material
    }

    /// Only the PEM blocks of `text` (drops OpenSSL's "Bag Attributes" lines).
    static func pemBlocks(_ text: String) -> String {
        var out = "", inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-----BEGIN ") { inside = true }
            if inside { out += line + "\n" }
            if line.hasPrefix("-----END ") { inside = false }
        }
        return out
    }
}
