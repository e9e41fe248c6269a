import OctaviaCore

/// A listener request's TLS and HSTS fields, type-checked (absent / null / value kept apart).
struct ListenerTLSFields {
    static let keys: Set<String> = [
        "default_tls_container_ref", "sni_container_refs", "client_ca_tls_container_ref", "client_authentication",
        "client_crl_container_ref", "tls_ciphers", "tls_versions", "alpn_protocols", "hsts_max_age",
        "hsts_include_subdomains", "hsts_preload",
    ]

    var defaultRef: Field<String>, sniRefs: Field<[String]>, clientCARef: Field<String>
    var clientAuthentication: Field<ClientAuthentication>, clientCRLRef: Field<String>
    var ciphers: Field<String>, versions: Field<[String]>, alpn: Field<[String]>
    var hstsMaxAge: Field<Int>, hstsIncludeSubdomains: Field<Bool>, hstsPreload: Field<Bool>

    init(_ body: BodyReader) throws {
        defaultRef = try body.string("default_tls_container_ref")
        sniRefs = try body.stringList("sni_container_refs")
        clientCARef = try body.string("client_ca_tls_container_ref")
        clientAuthentication = try body.enumValue("client_authentication", ClientAuthentication.self)
        clientCRLRef = try body.string("client_crl_container_ref")
        ciphers = try TLSFieldRules.ciphers(body)
        versions = try TLSFieldRules.versions(body)
        alpn = try TLSFieldRules.alpnProtocols(body)
        hstsMaxAge = try body.int("hsts_max_age", min: 0)
        hstsIncludeSubdomains = try body.bool("hsts_include_subdomains")
        hstsPreload = try body.bool("hsts_preload")
    }

    /// Certificate references the request sets (empty strings and lists count as unset).
    var certificateRefs: [String] {
        (sniRefs.value ?? []) + [defaultRef.value].compactMap { $0 }.filter { !$0.isEmpty }
    }

    var setsCertificateRefs: Bool {
        !certificateRefs.isEmpty || !(clientCARef.value ?? "").isEmpty
    }
}

/// The listener TLS rules of validation.md §3, applied to the row a POST creates or a PUT changes.
struct ListenerTLSValidation {
    let options: APITLSOptions
    var rules: TLSFieldRules { TLSFieldRules(options: options) }

    /// Sets the request's TLS fields on `listener` (the new row, or the current row on PUT), fills
    /// defaults and checks the resulting listener; certificate references are resolved last.
    func apply(_ fields: ListenerTLSFields, to listener: inout Listener, creating: Bool) async throws {
        let proto = listener.protocol
        if creating, proto == .prometheus, !options.allowPrometheusListeners {
            throw OctaviaError(.badRequest, "The selected protocol is not allowed in this deployment: \(proto.rawValue)")
        }
        if proto == .udp || proto == .sctp, fields.setsCertificateRefs {
            throw OctaviaError.validation("\(proto.rawValue) protocol listener does not support TLS.")
        }
        let hasCertificate = fields.setsCertificateRefs || listener.defaultTLSContainerRef != nil
            || !listener.sniContainerRefs.value.isEmpty
        let capable = proto == .terminatedHTTPS || (proto == .prometheus && hasCertificate)
        if creating, capable, !options.allowTLSTerminatedListeners {
            throw OctaviaError(.badRequest, "The selected protocol is not allowed in this deployment: \(proto.rawValue)")
        }
        if !capable, fields.setsCertificateRefs {
            throw OctaviaError.validation("Certificate container references are not allowed on \(proto.rawValue) protocol listeners.")
        }

        let terminated = proto == .terminatedHTTPS
        merge(fields, into: &listener, defaults: terminated, creating: creating)

        if capable, listener.defaultTLSContainerRef == nil, listener.sniContainerRefs.value.isEmpty {
            throw OctaviaError.validation(
                "An SNI or default certificate container reference must be provided for \(proto.rawValue) protocol listeners.")
        }
        if listener.clientCATLSContainerRef != nil, listener.defaultTLSContainerRef == nil,
           listener.sniContainerRefs.value.isEmpty {
            throw OctaviaError.validation(
                "An SNI or default certificate container reference must be provided with a client CA container reference.")
        }
        if listener.clientAuthentication != .none, listener.clientCATLSContainerRef == nil {
            throw OctaviaError.validation(
                "Client authentication setting \(listener.clientAuthentication.rawValue) requires a client CA container reference.")
        }
        if listener.clientCRLContainerRef != nil, listener.clientCATLSContainerRef == nil {
            throw OctaviaError.validation(
                "A client authentication CA reference is required to specify a client authentication revocation list.")
        }
        if (listener.hstsIncludeSubdomains || listener.hstsPreload), listener.hstsMaxAge == nil {
            throw OctaviaError.validation(
                "HTTP Strict Transport Security (HSTS) max-age must be set to use include-subdomains or preload options.")
        }
        if listener.hstsMaxAge != nil, !terminated {
            throw OctaviaError.validation(
                "The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.")
        }
        try rules.checkLimits(ciphers: fields.ciphers.value, versions: fields.versions.value)

        try await rules.checkCertificates(fields.certificateRefs, project: listener.projectID)
        if fields.clientCARef.value != nil || fields.clientCRLRef.value != nil, let ca = listener.clientCATLSContainerRef {
            try await rules.checkAuthority(
                ca: ca, crl: listener.clientCRLContainerRef, project: listener.projectID,
                messages: .init(
                    invalidCA: "The client authentication CA certificate is invalid.",
                    invalidCRL: "The client authentication certificate revocation list is invalid.",
                    crlNotSigned: "The CRL specified is not valid for client certificate authority reference supplied."))
        }
    }

    /// Present fields replace the row's values; `null` clears (ciphers, versions and ALPN go back to
    /// the defaults on a TERMINATED_HTTPS listener), and a new TERMINATED_HTTPS listener gets the defaults.
    private func merge(_ fields: ListenerTLSFields, into listener: inout Listener, defaults: Bool, creating: Bool) {
        func text(_ field: Field<String>, _ current: String?) -> String? {
            guard field.isPresent else { return current }
            return field.value.flatMap { $0.isEmpty ? nil : $0 }
        }
        listener.defaultTLSContainerRef = text(fields.defaultRef, listener.defaultTLSContainerRef)
        if fields.sniRefs.isPresent { listener.sniContainerRefs = JSONColumn(fields.sniRefs.value ?? []) }
        listener.clientCATLSContainerRef = text(fields.clientCARef, listener.clientCATLSContainerRef)
        if fields.clientAuthentication.isPresent { listener.clientAuthentication = fields.clientAuthentication.value ?? .none }
        listener.clientCRLContainerRef = text(fields.clientCRLRef, listener.clientCRLContainerRef)
        if fields.hstsMaxAge.isPresent { listener.hstsMaxAge = fields.hstsMaxAge.value }
        if fields.hstsIncludeSubdomains.isPresent { listener.hstsIncludeSubdomains = fields.hstsIncludeSubdomains.value ?? false }
        if fields.hstsPreload.isPresent { listener.hstsPreload = fields.hstsPreload.value ?? false }

        let fill = creating ? defaults : false
        switch fields.ciphers {
        case .value(let v): listener.tlsCiphers = v
        case .null: listener.tlsCiphers = defaults ? options.defaultListenerCiphers : nil
        case .absent: if fill { listener.tlsCiphers = options.defaultListenerCiphers }
        }
        listener.tlsVersions = Self.list(fields.versions, listener.tlsVersions, fill: fill, reset: defaults,
                                         default: options.defaultListenerTLSVersions)
        listener.alpnProtocols = Self.list(fields.alpn, listener.alpnProtocols, fill: fill, reset: defaults,
                                           default: options.defaultListenerALPNProtocols)
    }

    /// A list column after a request: the value, the default (filled or reset), nil, or unchanged.
    static func list(_ field: Field<[String]>, _ current: JSONColumn<[String]>?, fill: Bool, reset: Bool,
                     default value: [String]) -> JSONColumn<[String]>? {
        switch field {
        case .value(let v): return JSONColumn(v)
        case .null: return reset ? JSONColumn(value) : nil
        case .absent: return fill ? JSONColumn(value) : current
        }
    }
}

extension ListenerTLSValidation {
    /// Copies the TLS columns a PUT validated (on a snapshot) onto the row fetched inside the transaction.
    static func copyTLS(from source: Listener, to listener: inout Listener) {
        listener.defaultTLSContainerRef = source.defaultTLSContainerRef
        listener.sniContainerRefs = source.sniContainerRefs
        listener.clientCATLSContainerRef = source.clientCATLSContainerRef
        listener.clientAuthentication = source.clientAuthentication
        listener.clientCRLContainerRef = source.clientCRLContainerRef
        listener.tlsCiphers = source.tlsCiphers
        listener.tlsVersions = source.tlsVersions
        listener.alpnProtocols = source.alpnProtocols
        listener.hstsMaxAge = source.hstsMaxAge
        listener.hstsIncludeSubdomains = source.hstsIncludeSubdomains
        listener.hstsPreload = source.hstsPreload
    }

    /// The listener's TLS attributes as the API shows them.
    static func render(_ l: Listener) -> [String: JSONValue] {
        [
            "default_tls_container_ref": .optional(l.defaultTLSContainerRef),
            "sni_container_refs": .strings(l.sniContainerRefs.value),
            "client_ca_tls_container_ref": .optional(l.clientCATLSContainerRef),
            "client_authentication": .string(l.clientAuthentication.rawValue),
            "client_crl_container_ref": .optional(l.clientCRLContainerRef),
            "tls_ciphers": .optional(l.tlsCiphers),
            "tls_versions": l.tlsVersions.map { .strings($0.value) } ?? .null,
            "alpn_protocols": l.alpnProtocols.map { .strings($0.value) } ?? .null,
            "hsts_max_age": .optional(l.hstsMaxAge),
            "hsts_include_subdomains": .bool(l.hstsIncludeSubdomains),
            "hsts_preload": .bool(l.hstsPreload),
        ]
    }
}
