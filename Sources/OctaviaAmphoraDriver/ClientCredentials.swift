import Foundation
import NIOSSL

/// The controller's client certificate, key and the CA it trusts, parsed once at start.
struct ClientCredentials: Sendable {
    var chain: [NIOSSLCertificate]
    var key: NIOSSLPrivateKey
    var serverCAs: [NIOSSLCertificate]

    init(clientPEM: String, serverCAPEM: String) throws {
        let clientBlocks = PEMBlocks(clientPEM)
        let certificates = clientBlocks.blocks { $0 == "CERTIFICATE" }
        let keys = clientBlocks.blocks { $0.hasSuffix("PRIVATE KEY") }
        guard !certificates.isEmpty else { throw AmphoraAgentError.invalidCredentials("client PEM has no certificate") }
        guard let keyPEM = keys.first else { throw AmphoraAgentError.invalidCredentials("client PEM has no private key") }
        let caBlocks = PEMBlocks(serverCAPEM).blocks { $0 == "CERTIFICATE" }
        guard !caBlocks.isEmpty else { throw AmphoraAgentError.invalidCredentials("server CA PEM has no certificate") }
        do {
            chain = try certificates.map { try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem) }
            key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            serverCAs = try caBlocks.map { try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem) }
        } catch {
            throw AmphoraAgentError.invalidCredentials("cannot load PEM: \(error)")
        }
    }

    /// mTLS client settings: our certificate, trust only the server CA, TLS 1.2 or later.
    func tlsConfiguration(verification: CertificateVerification) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateChain = chain.map { .certificate($0) }
        tls.privateKey = .privateKey(key)
        tls.trustRoots = .certificates(serverCAs)
        tls.certificateVerification = verification
        return tls
    }
}

/// Splits PEM text into its `-----BEGIN X-----` … `-----END X-----` blocks.
struct PEMBlocks {
    private var all: [(label: String, text: String)] = []

    init(_ pem: String) {
        var label: String?
        var lines: [Substring] = []
        for line in pem.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if label == nil, trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----") {
                label = String(trimmed.dropFirst(11).dropLast(5))
                lines = [Substring(trimmed)]
            } else if let current = label {
                lines.append(Substring(trimmed))
                if trimmed == "-----END \(current)-----" {
                    all.append((current, lines.joined(separator: "\n") + "\n"))
                    label = nil
                }
            }
        }
    }

    func blocks(where matches: (String) -> Bool) -> [String] {
        all.filter { matches($0.label) }.map(\.text)
    }
}
