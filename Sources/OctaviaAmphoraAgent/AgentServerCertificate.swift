import Foundation
import NIOCore
import NIOSSL

/// The agent's own server certificate and key (`[amphora_agent] agent_server_cert`), swappable at
/// run time for certificate rotation (`PUT /1.0/certificate`).
///
/// The TLS server asks for the current pair on every handshake (NIOSSL's `sslContextCallback`), so a
/// replaced certificate is served to new connections at once while open connections keep theirs:
/// no agent restart, and HAProxy is never involved.
final class AgentServerCertificate: @unchecked Sendable {
    /// A parsed certificate chain (leaf first) with its private key.
    struct Identity: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    /// `agent_server_cert`: PEM certificate(s) followed by the private key.
    let path: String
    /// `[amphora_agent] amphora_id`: a new certificate must name it, as the controller checks that name.
    let amphoraID: String
    private let lock = NSLock()
    private var identity: Identity?

    init(path: String, amphoraID: String) {
        self.path = path
        self.amphoraID = amphoraID
    }

    /// The pair served now; nil before ``load()``.
    var current: Identity? { lock.withLock { identity } }

    /// Reads the file at start; a bad file stops the agent with the reason.
    @discardableResult
    func load() throws -> Identity {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw AgentError(.internalServerError, "Cannot read agent server certificate", details: "\(path): \(error)")
        }
        // An expired file still starts the agent (the controller decides what it trusts).
        let loaded = try Self.parse(bytes, requireValidNow: false)
        lock.withLock { identity = loaded }
        return loaded
    }

    /// Checks `pem` (parses, one certificate at least, a private key matching the leaf, valid now, a DNS
    /// name equal to our amphora id, without which the controller could not reach us again), writes it atomically over ``path`` (0600) and serves it to new connections. On any failure the
    /// file and the served pair are unchanged.
    func replace(with pem: [UInt8]) throws {
        let parsed = try Self.parse(pem, requireValidNow: true)
        guard Self.dnsNames(parsed.chain[0]).contains(amphoraID) else {
            throw Self.invalid("The certificate does not name this amphora (\(amphoraID))")
        }
        try Self.writeAtomically(pem, to: path)
        lock.withLock { identity = parsed }
    }

    /// The per-handshake hook for `TLSConfiguration.sslContextCallback`.
    var contextCallback: NIOSSLContextCallback {
        { [self] _, promise in
            guard let identity = current else { return promise.succeed(.noChanges) }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = identity.chain.map { .certificate($0) }
            override.privateKey = .privateKey(identity.key)
            promise.succeed(override)
        }
    }

    /// 400 unless `pem` holds a certificate chain and the private key of its leaf (valid now when asked).
    static func parse(_ pem: [UInt8], requireValidNow: Bool) throws -> Identity {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(pem)
        } catch {
            throw invalid("The PEM holds no readable certificate: \(error)")
        }
        guard let leaf = chain.first else { throw invalid("The PEM holds no certificate") }
        do {
            key = try NIOSSLPrivateKey(bytes: pem, format: .pem)
        } catch {
            throw invalid("The PEM holds no readable unencrypted private key: \(error)")
        }
        let now = time(nil)
        guard !requireValidNow || (leaf.notValidBefore <= now && now < leaf.notValidAfter) else {
            throw invalid("The certificate is not valid now")
        }
        // BoringSSL refuses a key that does not belong to the leaf when a context is built from them.
        var probe = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                            privateKey: .privateKey(key))
        probe.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: probe)
        } catch {
            throw invalid("The private key does not match the certificate: \(error)")
        }
        return Identity(chain: chain, key: key)
    }

    /// The leaf's subjectAltName DNS entries.
    static func dnsNames(_ certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().filter { $0.nameType == .dnsName }.map { name in
            name.contents.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
    }

    private static func invalid(_ details: String) -> AgentError {
        AgentError(.badRequest, "Invalid server certificate", details: details)
    }

    /// Temporary file beside the target, then `rename`: readers see the old or the new file, never half.
    private static func writeAtomically(_ bytes: [UInt8], to target: String) throws {
        let temporary = target + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]),
              rename(temporary, target) == 0
        else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AgentError(.internalServerError, "Unable to write server certificate", details: target)
        }
    }
}
