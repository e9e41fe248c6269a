import Foundation

/// The TLS files HAProxy loads for each load balancer, kept under `<base_cert_dir>/<lb_id>/`
/// (Octavia's `amphorae/backends/agent/api_server/loadbalancer.py` certificate handlers).
///
/// Files are private to root (0600, directory 0700) because they hold private keys, and are
/// replaced atomically so a reload never reads a half-written certificate.
struct CertificateFiles: Sendable {
    /// `[haproxy_amphora] base_cert_dir`.
    let baseDirectory: String

    func directory(_ id: LoadBalancerID) -> String { baseDirectory + "/" + id.rawValue }

    /// The file's path, or 400 when the name is not a plain `*.pem` name. Octavia's check is
    /// `(\w.)+pem`; ours also refuses anything that could leave the directory.
    func path(_ id: LoadBalancerID, _ filename: String) throws -> String {
        guard Self.isValidName(filename) else {
            throw AgentError(.badRequest, "Filename has wrong extension", details: "'\(filename)' is not a *.pem file name")
        }
        return directory(id) + "/" + filename
    }

    static func isValidName(_ name: String) -> Bool {
        guard name.count > 4, name.count <= 255, name.hasSuffix(".pem"), !name.hasPrefix("."), !name.contains("..") else {
            return false
        }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-" || scalar == ".")
        }
    }

    /// Stores the bytes and returns their MD5 (the `ETag`).
    func store(_ bytes: [UInt8], _ id: LoadBalancerID, _ filename: String) throws -> String {
        let target = try path(id, filename)
        let files = FileManager.default
        try files.createDirectory(atPath: directory(id), withIntermediateDirectories: true,
                                  attributes: [.posixPermissions: 0o700])
        let temporary = target + ".tmp-\(UUID().uuidString)"
        guard files.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw AgentError(.internalServerError, "Unable to write certificate", details: filename)
        }
        guard rename(temporary, target) == 0 else {
            try? files.removeItem(atPath: temporary)
            throw AgentError(.internalServerError, "Unable to write certificate", details: filename)
        }
        return Digest.md5Hex(bytes)
    }

    /// MD5 of the stored file, nil when there is none.
    func md5(_ id: LoadBalancerID, _ filename: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: try path(id, filename)) else { return nil }
        return Digest.md5Hex(Array(data))
    }

    /// Removes one file; a missing file is not an error.
    func remove(_ id: LoadBalancerID, _ filename: String) throws {
        let target = try path(id, filename)
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
    }

    /// Removes the load balancer's whole directory (DELETE /listeners).
    func removeAll(_ id: LoadBalancerID) {
        try? FileManager.default.removeItem(atPath: directory(id))
    }
}
