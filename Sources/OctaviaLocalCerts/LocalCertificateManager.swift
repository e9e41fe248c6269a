import Foundation
import OctaviaCore

/// Octavia's `local_cert_manager`: listener/pool certificates and secrets kept as files, one entry per
/// reference (a plain UUID), filled by the operator with `octavia certificate add` / `octavia secret add`.
///
/// Layout in `directory` (Octavia's local_cert_manager layout, keys stored decrypted so no `.pass`):
/// - `<ref>.crt`: the leaf certificate, `<ref>.key`: its key (mode 0600), `<ref>.int`: intermediates;
/// - `<ref>.pem`: a secret (CA bundle or CRL) added with `secret add`.
///
/// References are not scoped to projects: every project that knows a reference may use it (as with
/// Octavia's local manager). The CA files of ``LocalCertificateAuthority`` may share the directory.
public struct LocalCertificateManager: CertificateManager {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Checks a certificate, its key and optional intermediates (see ``CertificateBundleCheck``) and stores them.
    /// - Returns: the new reference.
    @discardableResult
    public func addCertificate(certificatePEM: String, privateKeyPEM: String, intermediatesPEM: String? = nil)
        throws -> String
    {
        let reference = UUID().uuidString.lowercased()
        let bundle = try CertificateBundleCheck.bundle(
            reference: reference, certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM,
            intermediatesPEM: intermediatesPEM ?? "")
        try SecureFile.makeDirectory(directory)
        try SecureFile.write(bundle.privateKeyPEM, to: path(reference, "key"), mode: 0o600)
        if !bundle.intermediatesPEM.isEmpty {
            try SecureFile.write(bundle.intermediatesPEM.joined(), to: path(reference, "int"), mode: 0o644)
        }
        // The certificate last: an entry exists once its .crt does.
        try SecureFile.write(bundle.certificatePEM, to: path(reference, "crt"), mode: 0o644)
        return reference
    }

    /// Stores a CA bundle or CRL (any PEM with at least one certificate or CRL block).
    @discardableResult
    public func addSecret(_ pem: String) throws -> String {
        let reference = UUID().uuidString.lowercased()
        try CertificateBundleCheck.secret(reference: reference, pem: pem)
        try SecureFile.makeDirectory(directory)
        try SecureFile.write(pem.hasSuffix("\n") ? pem : pem + "\n", to: path(reference, "pem"), mode: 0o644)
        return reference
    }

    /// Every stored entry, sorted by reference.
    public func entries() throws -> [LocalCertificateEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let references = Set(names.compactMap { name -> String? in
            let parts = name.split(separator: ".")
            guard parts.count == 2, ["crt", "pem"].contains(parts[1]), UUID(uuidString: String(parts[0])) != nil else { return nil }
            return String(parts[0])
        })
        return try references.sorted().map { try entry($0) }
    }

    /// The entry behind `reference`.
    /// - Throws: ``CertificateManagerError/notFound(reference:)`` or ``CertificateManagerError/unreadable(reference:reason:)``.
    public func entry(_ reference: String) throws -> LocalCertificateEntry {
        let ref = try normalized(reference)
        if let bundle = try? loadBundle(ref) {
            return try CertificateBundleCheck.describe(bundle)
        }
        if SecureFile.exists(path(ref, "crt")) {
            _ = try loadBundle(ref)  // rethrows the reason it is unreadable
        }
        let text = try read(ref, "pem")
        return CertificateBundleCheck.describeSecret(reference: ref, pem: text)
    }

    /// Removes every file of `reference`.
    public func delete(_ reference: String) throws {
        let ref = try normalized(reference)
        let files = ["crt", "key", "int", "pem"].map { path(ref, $0) }.filter(SecureFile.exists)
        guard !files.isEmpty else { throw CertificateManagerError.notFound(reference: reference) }
        for file in files { try? FileManager.default.removeItem(atPath: file) }
    }

    public func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle {
        try naming(reference) {
            var bundle = try loadBundle(try normalized(reference))
            bundle.reference = reference
            return bundle
        }
    }

    /// A secret entry's PEM, or a certificate entry's certificate and intermediates (usable as a CA bundle).
    public func secret(_ reference: String, project: ProjectID) async throws -> String {
        try naming(reference) {
            let ref = try normalized(reference)
            if SecureFile.exists(path(ref, "pem")) { return try read(ref, "pem") }
            let certificate = try read(ref, "crt")
            let intermediates = SecureFile.exists(path(ref, "int")) ? try read(ref, "int") : ""
            return certificate + intermediates
        }
    }

    /// Errors name the reference as the caller spelled it (the files use the lower-case form).
    private func naming<T>(_ reference: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch CertificateManagerError.notFound {
            throw CertificateManagerError.notFound(reference: reference)
        } catch CertificateManagerError.unreadable(_, let reason) {
            throw CertificateManagerError.unreadable(reference: reference, reason: reason)
        }
    }

    // MARK: - Files

    private func loadBundle(_ ref: String) throws -> TLSCertificateBundle {
        let certificate = try read(ref, "crt")
        guard SecureFile.exists(path(ref, "key")) else {
            throw CertificateManagerError.unreadable(reference: ref, reason: "no private key stored with the certificate")
        }
        let key = try read(ref, "key")
        let intermediates = SecureFile.exists(path(ref, "int")) ? try read(ref, "int") : ""
        return try CertificateBundleCheck.bundle(
            reference: ref, certificatePEM: certificate, privateKeyPEM: key, intermediatesPEM: intermediates)
    }

    private func read(_ ref: String, _ ext: String) throws -> String {
        let file = path(ref, ext)
        guard SecureFile.exists(file) else { throw CertificateManagerError.notFound(reference: ref) }
        do {
            return try SecureFile.read(file)
        } catch {
            throw CertificateManagerError.unreadable(reference: ref, reason: "\(error)")
        }
    }

    /// Only UUIDs are references, so a reference can never name a path outside `directory`.
    private func normalized(_ reference: String) throws -> String {
        guard let uuid = UUID(uuidString: reference) else { throw CertificateManagerError.notFound(reference: reference) }
        return uuid.uuidString.lowercased()
    }

    private func path(_ ref: String, _ ext: String) -> String { "\(directory)/\(ref).\(ext)" }
}

/// What `octavia certificate list/show` prints about one entry.
public struct LocalCertificateEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case certificate, secret }

    public var reference: String
    public var kind: Kind
    /// The leaf's (or the first certificate's) subject; nil for a CRL-only secret.
    public var subject: String?
    /// DNS names of the leaf's subjectAltName extension.
    public var dnsNames: [String]
    public var notValidAfter: Date?
    /// Intermediates for a certificate; certificates plus CRLs for a secret.
    public var intermediates: Int
    public var revocationLists: Int

    enum CodingKeys: String, CodingKey {
        case reference, kind, subject, intermediates
        case dnsNames = "dns_names", notValidAfter = "not_valid_after", revocationLists = "revocation_lists"
    }
}
