import OctaviaCore

/// A pool request's TLS fields (re-encryption to members), type-checked.
struct PoolTLSFields {
    static let keys: Set<String> = [
        "tls_enabled", "tls_container_ref", "ca_tls_container_ref", "crl_container_ref", "tls_ciphers",
        "tls_versions", "alpn_protocols",
    ]

    var enabled: Field<Bool>, certificateRef: Field<String>, caRef: Field<String>, crlRef: Field<String>
    var ciphers: Field<String>, versions: Field<[String]>, alpn: Field<[String]>

    init(_ body: BodyReader) throws {
        enabled = try body.bool("tls_enabled")
        certificateRef = try body.string("tls_container_ref")
        caRef = try body.string("ca_tls_container_ref")
        crlRef = try body.string("crl_container_ref")
        ciphers = try TLSFieldRules.ciphers(body)
        versions = try TLSFieldRules.versions(body)
        alpn = try TLSFieldRules.alpnProtocols(body)
    }
}

/// The pool TLS rules of validation.md §4, applied to the row a POST creates or a PUT changes.
struct PoolTLSValidation {
    let options: APITLSOptions
    var rules: TLSFieldRules { TLSFieldRules(options: options) }

    func apply(_ fields: PoolTLSFields, to pool: inout Pool, creating: Bool) async throws {
        if case .null = fields.caRef, !fields.crlRef.isPresent, pool.crlContainerRef != nil {
            throw OctaviaError.validation("A CA reference cannot be removed when a certificate revocation list is present.")
        }
        func text(_ field: Field<String>, _ current: String?) -> String? {
            guard field.isPresent else { return current }
            return field.value.flatMap { $0.isEmpty ? nil : $0 }
        }
        if fields.enabled.isPresent { pool.tlsEnabled = fields.enabled.value ?? false }
        pool.tlsContainerRef = text(fields.certificateRef, pool.tlsContainerRef)
        pool.caTLSContainerRef = text(fields.caRef, pool.caTLSContainerRef)
        pool.crlContainerRef = text(fields.crlRef, pool.crlContainerRef)
        if pool.crlContainerRef != nil, pool.caTLSContainerRef == nil {
            throw OctaviaError.validation("A CA reference is required to specify a certificate revocation list.")
        }

        // Defaults whenever TLS is on and a value is missing (new pool, TLS turned on, or reset with null).
        let enabled = pool.tlsEnabled
        switch fields.ciphers {
        case .value(let v): pool.tlsCiphers = v
        case .null: pool.tlsCiphers = enabled ? options.defaultPoolCiphers : nil
        case .absent: if enabled && pool.tlsCiphers == nil { pool.tlsCiphers = options.defaultPoolCiphers }
        }
        pool.tlsVersions = ListenerTLSValidation.list(
            fields.versions, pool.tlsVersions, fill: enabled && pool.tlsVersions == nil, reset: enabled,
            default: options.defaultPoolTLSVersions)
        pool.alpnProtocols = ListenerTLSValidation.list(
            fields.alpn, pool.alpnProtocols, fill: enabled && pool.alpnProtocols == nil, reset: enabled,
            default: options.defaultPoolALPNProtocols)
        try rules.checkLimits(ciphers: fields.ciphers.value, versions: fields.versions.value)

        if let ref = fields.certificateRef.value, !ref.isEmpty {
            try await rules.checkCertificates([ref], project: pool.projectID)
        }
        if fields.caRef.value != nil || fields.crlRef.value != nil, let ca = pool.caTLSContainerRef {
            try await rules.checkAuthority(
                ca: ca, crl: pool.crlContainerRef, project: pool.projectID,
                messages: .init(
                    invalidCA: "The CA certificate is invalid.",
                    invalidCRL: "The certificate revocation list is invalid.",
                    crlNotSigned: "The CRL specified is not valid for certificate authority reference supplied."))
        }
    }
}

extension PoolTLSValidation {
    /// Copies the TLS columns a PUT validated (on a snapshot) onto the row fetched inside the transaction.
    static func copyTLS(from source: Pool, to pool: inout Pool) {
        pool.tlsEnabled = source.tlsEnabled
        pool.tlsContainerRef = source.tlsContainerRef
        pool.caTLSContainerRef = source.caTLSContainerRef
        pool.crlContainerRef = source.crlContainerRef
        pool.tlsCiphers = source.tlsCiphers
        pool.tlsVersions = source.tlsVersions
        pool.alpnProtocols = source.alpnProtocols
    }

    /// The pool's TLS attributes as the API shows them.
    static func render(_ p: Pool) -> [String: JSONValue] {
        [
            "tls_enabled": .bool(p.tlsEnabled),
            "tls_container_ref": .optional(p.tlsContainerRef),
            "ca_tls_container_ref": .optional(p.caTLSContainerRef),
            "crl_container_ref": .optional(p.crlContainerRef),
            "tls_ciphers": .optional(p.tlsCiphers),
            "tls_versions": p.tlsVersions.map { .strings($0.value) } ?? .null,
            "alpn_protocols": p.alpnProtocols.map { .strings($0.value) } ?? .null,
        ]
    }
}
