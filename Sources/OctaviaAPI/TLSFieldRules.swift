import OctaviaCore

/// The TLS rules listeners and pools share (validation.md §3, §4): cipher strings, TLS versions,
/// ALPN protocols, and resolving references through the certificate manager.
struct TLSFieldRules {
    let options: APITLSOptions

    static let cipherCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+!:@=_.")

    /// `tls_ciphers`: a string of at most 2048 characters from OpenSSL's cipher-string alphabet.
    static func ciphers(_ body: BodyReader) throws -> Field<String> {
        try body.string("tls_ciphers", max: 2048).map { text in
            guard text.allSatisfy(cipherCharacters.contains) else {
                throw OctaviaError.invalidInput("tls_ciphers", text, "Value should match the pattern ^[A-Za-z0-9\\-\\+\\!\\:\\@\\=\\_\\.]*$")
            }
            return text
        }
    }

    /// `tls_versions`: `[]` is refused (null is the way to ask for the default).
    static func versions(_ body: BodyReader) throws -> Field<[String]> {
        try body.stringList("tls_versions", itemMax: 32).map { list in
            guard !list.isEmpty else {
                throw OctaviaError.validation(
                    "Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.")
            }
            let invalid = list.filter { !APITLSOptions.versions.contains($0) }
            if !invalid.isEmpty { throw OctaviaError.validation("Invalid TLS versions: \(invalid.joined(separator: ", "))") }
            return list
        }
    }

    /// `alpn_protocols`: `[]` is refused; items are the amphora's protocols.
    static func alpnProtocols(_ body: BodyReader) throws -> Field<[String]> {
        try body.stringList("alpn_protocols").map { list in
            guard !list.isEmpty else {
                throw OctaviaError.validation(
                    "Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.")
            }
            let invalid = list.filter { !APITLSOptions.alpnProtocols.contains($0) }
            if !invalid.isEmpty { throw OctaviaError.validation("Invalid ALPN protocol: \(invalid.joined(separator: ", "))") }
            return list
        }
    }

    /// `[api_settings] tls_cipher_prohibit_list` and `minimum_tls_version` against the values a request sets.
    func checkLimits(ciphers: String?, versions: [String]?) throws {
        if let ciphers {
            let rejected = ciphers.split(separator: ":").map(String.init).filter(options.cipherProhibitList.contains)
            if !rejected.isEmpty {
                throw OctaviaError.validation(
                    "The following ciphers have been prohibited by an administrator: \(rejected.joined(separator: ", "))")
            }
        }
        if let versions, let minimum = options.minimumTLSVersion,
           let floor = APITLSOptions.versions.firstIndex(of: minimum) {
            let below = versions.filter { (APITLSOptions.versions.firstIndex(of: $0) ?? 0) < floor }
            if !below.isEmpty {
                throw OctaviaError.validation(
                    "TLS version(s) \(below.joined(separator: ", ")) are below the minimum TLS version \(minimum) allowed by the administrator.")
            }
        }
    }

    /// Every certificate reference must resolve to a certificate and key, else one 400 naming all bad ones.
    func checkCertificates(_ refs: [String], project: ProjectID) async throws {
        var bad: [String] = []
        for ref in refs where !bad.contains(ref) {
            do { _ = try await options.certificateManager.certificate(ref, project: project) } catch { bad.append(ref) }
        }
        if !bad.isEmpty { throw Self.retrievalFailure(bad) }
    }

    /// Fetches a CA bundle and optional CRL and checks them (Octavia's `_validate_client_ca_and_crl_refs`).
    /// - Parameter messages: the listener's or the pool's wording for an invalid CA / CRL.
    func checkAuthority(ca: String, crl: String?, project: ProjectID, messages: AuthorityMessages) async throws {
        var bad: [String] = []
        var caPEM = "", crlPEM: String?
        do { caPEM = try await options.certificateManager.secret(ca, project: project) } catch { bad.append(ca) }
        if let crl {
            do { crlPEM = try await options.certificateManager.secret(crl, project: project) } catch { bad.append(crl) }
        }
        if !bad.isEmpty { throw Self.retrievalFailure(bad) }
        if let problem = await options.x509Inspector.certificateProblem(caPEM) {
            throw OctaviaError.validation("\(messages.invalidCA) It must be a valid x509 PEM format certificate. Error: \(problem)")
        }
        guard let crlPEM else { return }
        switch await options.x509Inspector.revocationListProblem(crlPEM, issuer: caPEM) {
        case nil: return
        case .invalid(let reason):
            throw OctaviaError.validation(
                "\(messages.invalidCRL) It must be a valid x509 PEM format certificate revocation list. Error: \(reason)")
        case .notSignedByAuthority:
            throw OctaviaError.validation(messages.crlNotSigned)
        }
    }

    struct AuthorityMessages {
        var invalidCA: String, invalidCRL: String, crlNotSigned: String
    }

    /// Octavia's `CertificateRetrievalException` with the refs as a Python list.
    static func retrievalFailure(_ refs: [String]) -> OctaviaError {
        OctaviaError(.badRequest, "Could not retrieve certificate: [\(refs.map { "'\($0)'" }.joined(separator: ", "))]")
    }
}
