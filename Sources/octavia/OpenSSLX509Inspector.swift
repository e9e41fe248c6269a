import Foundation
import OctaviaAPI
import OctaviaSystem

/// The API's CA and CRL checks done by the `openssl` CLI (swift-certificates reads no CRLs).
struct OpenSSLX509Inspector: X509Inspector {
    let runner = SystemRunner()

    func certificateProblem(_ pem: String) async -> String? {
        do {
            let result = try await runner.run(["openssl", "x509", "-noout"], input: pem, timeout: .seconds(10))
            return result.succeeded ? nil : Self.firstLine(result.error)
        } catch {
            return "\(error)"
        }
    }

    func revocationListProblem(_ crlPEM: String, issuer caPEM: String) async -> RevocationListProblem? {
        do {
            let parsed = try await runner.run(["openssl", "crl", "-noout"], input: crlPEM, timeout: .seconds(10))
            guard parsed.succeeded else { return .invalid(Self.firstLine(parsed.error)) }
            let caFile = try TemporaryPEM(caPEM)
            defer { caFile.remove() }
            let verified = try await runner.run(
                ["openssl", "crl", "-noout", "-CAfile", caFile.path], input: crlPEM, timeout: .seconds(10))
            return verified.succeeded ? nil : .notSignedByAuthority
        } catch {
            return .invalid("\(error)")
        }
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? "openssl could not parse it"
    }
}

/// A PEM written to a private temporary file for an `openssl` argument, removed by the caller.
struct TemporaryPEM {
    let path: String

    init(_ contents: String) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("octavia-\(UUID().uuidString).pem").path
        guard FileManager.default.createFile(
            atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
