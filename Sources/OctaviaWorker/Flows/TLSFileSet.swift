import OctaviaCore
import OctaviaHAProxyConfig

/// The TLS files one load balancer's HAProxy needs, named as Octavia names them (amphora-agent.md,
/// "For TCP-family listeners"), with the paths the renderer writes into haproxy.cfg:
/// - default and SNI certificates: `<cert_id>.pem` = certificate + intermediates + key;
/// - per TLS listener a crt-list `<listener_id>.pem`: one certificate path per line, default first;
/// - client CA / CRL, pool CA / CRL: `<sha1(pem)>.pem`;
/// - a pool's client certificate: `<cert_id>.pem`.
struct TLSFileSet: Sendable, Equatable {
    /// File name → contents.
    var files: [String: String] = [:]
    var paths = TLSFilePaths()

    /// Resolves every TLS reference of the rendered listeners and pools. Any reference that does
    /// not resolve throws ``TLSReferenceError`` (the flow reverts, as for other config failures).
    static func resolve(
        _ graph: LoadBalancerGraph, manager: (any CertificateManager)?, settings: HAProxyRenderSettings
    ) async throws -> TLSFileSet {
        var set = TLSFileSet()
        // Without a configured manager every reference is missing.
        let manager = manager ?? UnavailableCertificateManager()
        let directory = settings.certificateDirectory(for: graph.loadBalancer.id)
        func path(_ name: String) -> String { "\(directory)/\(name)" }

        for listener in graph.listeners where Self.isRendered(listener) {
            guard listener.protocol == .terminatedHTTPS || listener.protocol == .prometheus,
                  let defaultRef = listener.defaultTLSContainerRef
            else { continue }
            var crtList: [String] = []
            for ref in [defaultRef] + listener.sniContainerRefs.value where !crtList.contains(path(certificateName(ref))) {
                let bundle = try await fetch(ref, field: "certificate") {
                    try await manager.certificate(ref, project: listener.projectID)
                }
                set.files[certificateName(ref)] = bundle.combinedPEM
                crtList.append(path(certificateName(ref)))
            }
            let crtListName = "\(listener.id.rawValue).pem"
            set.files[crtListName] = crtList.map { $0 + "\n" }.joined()
            var files = TLSFilePaths.ListenerFiles(crtList: path(crtListName))
            if let ref = listener.clientCATLSContainerRef {
                files.clientCA = path(try await set.addSecret(ref, project: listener.projectID, manager: manager))
                if let crl = listener.clientCRLContainerRef {
                    files.clientCRL = path(try await set.addSecret(crl, project: listener.projectID, manager: manager))
                }
            }
            set.paths.listeners[listener.id] = files
        }

        for pool in graph.pools where pool.tlsEnabled && pool.adminStateUp && !ConfigurationTasks.isGoing(pool.provisioningStatus) {
            var files = TLSFilePaths.PoolFiles()
            if let ref = pool.tlsContainerRef {
                let bundle = try await fetch(ref, field: "tls_container_ref") {
                    try await manager.certificate(ref, project: pool.projectID)
                }
                set.files[certificateName(ref)] = bundle.combinedPEM
                files.clientCertificate = path(certificateName(ref))
            }
            if let ref = pool.caTLSContainerRef {
                files.ca = path(try await set.addSecret(ref, project: pool.projectID, manager: manager))
                if let crl = pool.crlContainerRef {
                    files.crl = path(try await set.addSecret(crl, project: pool.projectID, manager: manager))
                }
            }
            set.paths.pools[pool.id] = files
        }
        return set
    }

    static func isRendered(_ listener: Listener) -> Bool {
        listener.adminStateUp && !ConfigurationTasks.isGoing(listener.provisioningStatus)
    }

    /// `<sha1(pem)>.pem` for CA bundles and CRLs: identical secrets share one file.
    private mutating func addSecret(
        _ ref: String, project: ProjectID, manager: any CertificateManager
    ) async throws -> String {
        let pem = try await Self.fetch(ref, field: "secret") { try await manager.secret(ref, project: project) }
        let text = pem.hasSuffix("\n") ? pem : pem + "\n"
        let name = "\(FileDigest.sha1Hex(text)).pem"
        files[name] = text
        return name
    }

    /// `<cert_id>.pem`: the reference itself when it is a plain id (the local manager's UUIDs),
    /// otherwise the SHA-1 of the reference (URLs such as Barbican's are not file names).
    static func certificateName(_ reference: String) -> String {
        let plain = !reference.isEmpty && reference.count <= 128 && !reference.hasPrefix(".")
            && reference.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        return "\(plain ? reference : FileDigest.sha1Hex(reference)).pem"
    }

    private static func fetch<T>(_ ref: String, field: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CertificateManagerError {
            throw TLSReferenceError(reference: ref, underlying: error)
        }
    }
}

/// A listener or pool names a certificate or secret that no longer resolves.
struct TLSReferenceError: Error, CustomStringConvertible {
    var reference: String
    var underlying: CertificateManagerError
    var description: String {
        switch underlying {
        case .notFound: "TLS reference \(reference) could not be found"
        case .unreadable(_, let reason): "TLS reference \(reference) could not be used: \(reason)"
        }
    }
}
