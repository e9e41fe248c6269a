import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Known references: `cert-a`, `cert-b` (certificates), `ca`, `crl`, `crl-other-ca`, `not-a-ca`, `not-a-crl` (secrets).
struct FakeCertificateManager: CertificateManager {
    static let certificates: Set<String> = ["cert-a", "cert-b"]
    static let secrets: Set<String> = ["ca", "crl", "crl-other-ca", "not-a-ca", "not-a-crl"]

    func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle {
        guard Self.certificates.contains(reference) else { throw CertificateManagerError.notFound(reference: reference) }
        return TLSCertificateBundle(reference: reference, certificatePEM: "cert", privateKeyPEM: "key")
    }

    func secret(_ reference: String, project: ProjectID) async throws -> String {
        guard Self.secrets.contains(reference) else { throw CertificateManagerError.notFound(reference: reference) }
        return reference
    }
}

/// The secret's text is its reference: `not-a-ca` is no certificate, `not-a-crl` no CRL, `crl-other-ca` is signed by another CA.
struct FakeX509Inspector: X509Inspector {
    func certificateProblem(_ pem: String) async -> String? { pem == "not-a-ca" ? "bad PEM" : nil }

    func revocationListProblem(_ crlPEM: String, issuer caPEM: String) async -> RevocationListProblem? {
        switch crlPEM {
        case "not-a-crl": .invalid("bad PEM")
        case "crl-other-ca": .notSignedByAuthority
        default: nil
        }
    }
}

@Suite struct TLSValidationTests {
    static func harness(_ configure: (inout APITLSOptions) -> Void = { _ in }) async throws -> APITestHarness {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.tls.certificateManager = FakeCertificateManager()
        options.tls.x509Inspector = FakeX509Inspector()
        configure(&options.tls)
        return try await APITestHarness(options: options)
    }

    /// POSTs a listener (TERMINATED_HTTPS with `cert-a` unless `fields` says otherwise) on a fresh LB.
    static func postListener(_ api: APIClient, _ fields: [String: JSONValue], base: [String: JSONValue] = [
        "protocol": "TERMINATED_HTTPS", "protocol_port": 443, "default_tls_container_ref": "cert-a",
    ]) async throws -> APIResponse {
        let lb = try await api.createLB()
        var body = base.merging(fields) { $1 }
        body["loadbalancer_id"] = .string(lb)
        return try await api.request(.post, "/v2.0/lbaas/listeners", json: ["listener": .object(body)])
    }

    /// Runs one listener POST per case and checks accepted (201) or the 400 fault string.
    static func check(_ cases: [(fields: [String: JSONValue], fault: String?)], base: [String: JSONValue]? = nil,
                      configure: (inout APITLSOptions) -> Void = { _ in }) async throws {
        for (fields, fault) in cases {
            try await harness(configure).run { api in
                let r = base.map { b in { try await postListener(api, fields, base: b) } } ?? { try await postListener(api, fields) }
                let response = try await r()
                if let fault {
                    #expect(response.status == .badRequest, "\(fields)")
                    #expect(response.faultstring == fault, "\(fields)")
                } else {
                    #expect(response.status == .created, "\(fields): \(response.json ?? .null)")
                }
            }
        }
    }

    @Test func terminatedHTTPSGetsDefaultsAndRendersTLSFields() async throws {
        try await Self.harness().run { api in
            let r = try await Self.postListener(api, ["sni_container_refs": ["cert-b"], "hsts_max_age": 300, "hsts_preload": true])
            #expect(r.status == .created)
            let l = try #require(r["listener"])
            #expect(l["default_tls_container_ref"] == "cert-a")
            #expect(l["sni_container_refs"] == ["cert-b"])
            #expect(l["tls_ciphers"]?.stringValue == APITLSOptions().defaultListenerCiphers)
            #expect(l["tls_versions"] == ["TLSv1.2", "TLSv1.3"])
            #expect(l["alpn_protocols"] == ["h2", "http/1.1", "http/1.0"])
            #expect(l["hsts_max_age"] == 300)
            #expect(l["hsts_preload"] == true)
            #expect(l["client_authentication"] == "NONE")
            let listenerID = try #require(l["id"]?.stringValue)
            let stored = try #require(try await api.store.reader.fetch(Listener.self, id: listenerID))
            #expect(stored.defaultTLSContainerRef == "cert-a")
            #expect(stored.sniContainerRefs.value == ["cert-b"])
        }
    }

    @Test func httpListenerHasNoTLSDefaults() async throws {
        try await Self.harness().run { api in
            let r = try await Self.postListener(api, [:], base: ["protocol": "HTTP", "protocol_port": 80])
            #expect(r.status == .created)
            #expect(r["listener"]?["tls_versions"] == .null)
            #expect(r["listener"]?["tls_ciphers"] == .null)
        }
    }

    @Test func certificateRequiredForTerminatedHTTPS() async throws {
        try await Self.check([
            (["sni_container_refs": ["cert-b"], "default_tls_container_ref": .null], nil),
            (["default_tls_container_ref": .null],
             "Validation failure: An SNI or default certificate container reference must be provided for TERMINATED_HTTPS protocol listeners."),
        ])
    }

    @Test func certificateRefsOnlyOnTLSListeners() async throws {
        try await Self.check([
            ([:], nil),
            (["default_tls_container_ref": "cert-a"],
             "Validation failure: Certificate container references are not allowed on HTTP protocol listeners."),
            (["client_ca_tls_container_ref": "ca"],
             "Validation failure: Certificate container references are not allowed on HTTP protocol listeners."),
        ], base: ["protocol": "HTTP", "protocol_port": 80])
    }

    @Test func prometheusWithCertificateIsTLSCapable() async throws {
        try await Self.check([
            ([:], nil),
            (["default_tls_container_ref": "cert-a"], nil),
            (["client_ca_tls_container_ref": "ca"],
             "Validation failure: An SNI or default certificate container reference must be provided for PROMETHEUS protocol listeners."),
        ], base: ["protocol": "PROMETHEUS", "protocol_port": 9100])
    }

    @Test func disabledListenerProtocols() async throws {
        try await Self.check([
            ([:], "The selected protocol is not allowed in this deployment: TERMINATED_HTTPS"),
        ], configure: { $0.allowTLSTerminatedListeners = false })
        try await Self.check([
            ([:], nil),
        ], base: ["protocol": "HTTP", "protocol_port": 80], configure: { $0.allowTLSTerminatedListeners = false })
        try await Self.check([
            ([:], "The selected protocol is not allowed in this deployment: PROMETHEUS"),
        ], base: ["protocol": "PROMETHEUS", "protocol_port": 9100], configure: { $0.allowPrometheusListeners = false })
    }

    @Test func udpStaysRefused() async throws {
        try await Self.check([
            ([:], "The selected protocol is not allowed in this deployment: UDP"),
        ], base: ["protocol": "UDP", "protocol_port": 53])
    }

    @Test func referencesMustResolve() async throws {
        try await Self.check([
            (["sni_container_refs": ["cert-b", "cert-a"]], nil),
            (["default_tls_container_ref": "nope"], "Could not retrieve certificate: ['nope']"),
            (["sni_container_refs": ["cert-b", "gone"], "default_tls_container_ref": "nope"],
             "Could not retrieve certificate: ['gone', 'nope']"),
            (["client_ca_tls_container_ref": "no-ca", "client_crl_container_ref": "no-crl"],
             "Could not retrieve certificate: ['no-ca', 'no-crl']"),
        ])
    }

    @Test func clientAuthenticationNeedsCA() async throws {
        try await Self.check([
            (["client_authentication": "MANDATORY", "client_ca_tls_container_ref": "ca"], nil),
            (["client_authentication": "OPTIONAL"],
             "Validation failure: Client authentication setting OPTIONAL requires a client CA container reference."),
        ])
    }

    @Test func clientCAMustBeACertificate() async throws {
        try await Self.check([
            (["client_ca_tls_container_ref": "ca"], nil),
            (["client_ca_tls_container_ref": "not-a-ca"],
             "Validation failure: The client authentication CA certificate is invalid. It must be a valid x509 PEM format certificate. Error: bad PEM"),
        ])
    }

    @Test func crlNeedsCAAndItsSignature() async throws {
        try await Self.check([
            (["client_ca_tls_container_ref": "ca", "client_crl_container_ref": "crl"], nil),
            (["client_crl_container_ref": "crl"],
             "Validation failure: A client authentication CA reference is required to specify a client authentication revocation list."),
            (["client_ca_tls_container_ref": "ca", "client_crl_container_ref": "crl-other-ca"],
             "Validation failure: The CRL specified is not valid for client certificate authority reference supplied."),
            (["client_ca_tls_container_ref": "ca", "client_crl_container_ref": "not-a-crl"],
             "Validation failure: The client authentication certificate revocation list is invalid. It must be a valid x509 PEM format certificate revocation list. Error: bad PEM"),
        ])
    }

    @Test func cipherRules() async throws {
        try await Self.check([
            (["tls_ciphers": "ECDHE-RSA-AES256-GCM-SHA384:DES-CBC3-SHA"], nil),
            (["tls_ciphers": "ECDHE;rm -rf"],
             #"Invalid input for field/attribute tls_ciphers. Value: 'ECDHE;rm -rf'. Value should match the pattern ^[A-Za-z0-9\-\+\!\:\@\=\_\.]*$"#),
        ])
        try await Self.check([
            (["tls_ciphers": "ECDHE-RSA-AES256-GCM-SHA384:DES-CBC3-SHA:RC4-MD5"],
             "Validation failure: The following ciphers have been prohibited by an administrator: DES-CBC3-SHA, RC4-MD5"),
        ], configure: { $0.cipherProhibitList = ["DES-CBC3-SHA", "RC4-MD5"] })
    }

    @Test func tlsVersionRules() async throws {
        try await Self.check([
            (["tls_versions": ["TLSv1.3"]], nil),
            (["tls_versions": []],
             "Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default."),
            (["tls_versions": ["TLSv1.2", "TLSv9"]], "Validation failure: Invalid TLS versions: TLSv9"),
        ])
        try await Self.check([
            (["tls_versions": ["TLSv1.2"]], nil),
            (["tls_versions": ["TLSv1", "TLSv1.2"]],
             "Validation failure: TLS version(s) TLSv1 are below the minimum TLS version TLSv1.2 allowed by the administrator."),
        ], configure: { $0.minimumTLSVersion = "TLSv1.2" })
    }

    @Test func alpnRules() async throws {
        try await Self.check([
            (["alpn_protocols": ["http/1.1"]], nil),
            (["alpn_protocols": []],
             "Validation failure: Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default."),
            (["alpn_protocols": ["h3"]], "Validation failure: Invalid ALPN protocol: h3"),
        ])
    }

    @Test func hstsRules() async throws {
        try await Self.check([
            (["hsts_max_age": 0, "hsts_include_subdomains": true], nil),
            (["hsts_include_subdomains": true],
             "Validation failure: HTTP Strict Transport Security (HSTS) max-age must be set to use include-subdomains or preload options."),
        ])
        try await Self.check([
            (["hsts_max_age": 60],
             "Validation failure: The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol."),
        ], base: ["protocol": "HTTP", "protocol_port": 80])
    }

    @Test func tlsInsertHeadersOnlyOnTerminatedHTTPS() async throws {
        try await Self.check([
            (["insert_headers": ["X-SSL-Client-CN": "true", "X-Forwarded-For": "true"]], nil),
        ])
        try await Self.check([
            (["insert_headers": ["X-SSL-Client-CN": "true"]], "['X-SSL-Client-CN'] is not a valid option for HTTP protocol listener."),
        ], base: ["protocol": "HTTP", "protocol_port": 80])
    }

    @Test func updateChangesValidatesAndResets() async throws {
        try await Self.harness { $0.defaultListenerTLSVersions = ["TLSv1.3"] }.run { api in
            let created = try await Self.postListener(api, ["tls_versions": ["TLSv1.2"]])
            let id = try #require(created["listener"]?["id"]?.stringValue)
            let lb = try #require(created["listener"]?["loadbalancers"]?[0]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, id)

            let bogus = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                              json: ["listener": ["sni_container_refs": ["nope"]]])
            #expect(bogus.faultstring == "Could not retrieve certificate: ['nope']")
            let noCert = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                               json: ["listener": ["default_tls_container_ref": .null]])
            #expect(noCert.status == .badRequest)
            let noCA = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                             json: ["listener": ["client_authentication": "MANDATORY"]])
            #expect(noCA.faultstring == "Validation failure: Client authentication setting MANDATORY requires a client CA container reference.")

            let updated = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)", json: ["listener": [
                "tls_versions": ["TLSv1.2", "TLSv1.3"], "default_tls_container_ref": "cert-b", "client_ca_tls_container_ref": "ca",
            ]])
            #expect(updated.status == .ok, "\(updated.json ?? .null)")
            #expect(updated["listener"]?["tls_versions"] == ["TLSv1.2", "TLSv1.3"])
            #expect(updated["listener"]?["default_tls_container_ref"] == "cert-b")
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, id)

            // A CRL added later is checked against the stored CA; null puts the defaults back.
            let crl = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                            json: ["listener": ["client_crl_container_ref": "crl-other-ca"]])
            #expect(crl.faultstring == "Validation failure: The CRL specified is not valid for client certificate authority reference supplied.")
            let reset = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                              json: ["listener": ["tls_versions": .null, "alpn_protocols": .null]])
            #expect(reset.status == .ok)
            #expect(reset["listener"]?["tls_versions"] == ["TLSv1.3"])
            #expect(reset["listener"]?["alpn_protocols"] == ["h2", "http/1.1", "http/1.0"])
            #expect(reset["listener"]?["client_ca_tls_container_ref"] == "ca")
        }
    }

    // MARK: - Pools

    static func postPool(_ api: APIClient, _ fields: [String: JSONValue]) async throws -> APIResponse {
        let lb = try await api.createLB()
        let body: [String: JSONValue] = ["loadbalancer_id": .string(lb), "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"]
        return try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": .object(body.merging(fields) { $1 })])
    }

    static func checkPools(_ cases: [(fields: [String: JSONValue], fault: String?)],
                           configure: (inout APITLSOptions) -> Void = { _ in }) async throws {
        for (fields, fault) in cases {
            try await harness(configure).run { api in
                let response = try await postPool(api, fields)
                if let fault {
                    #expect(response.status == .badRequest, "\(fields)")
                    #expect(response.faultstring == fault, "\(fields)")
                } else {
                    #expect(response.status == .created, "\(fields): \(response.json ?? .null)")
                }
            }
        }
    }

    @Test func tlsEnabledPoolGetsDefaults() async throws {
        try await Self.harness { $0.defaultPoolCiphers = "ECDHE-RSA-AES128-GCM-SHA256" }.run { api in
            let r = try await Self.postPool(api, ["tls_enabled": true, "tls_container_ref": "cert-a", "ca_tls_container_ref": "ca"])
            #expect(r.status == .created)
            let p = try #require(r["pool"])
            #expect(p["tls_enabled"] == true)
            #expect(p["tls_container_ref"] == "cert-a")
            #expect(p["ca_tls_container_ref"] == "ca")
            #expect(p["tls_ciphers"] == "ECDHE-RSA-AES128-GCM-SHA256")
            #expect(p["tls_versions"] == ["TLSv1.2", "TLSv1.3"])
            #expect(p["alpn_protocols"] == ["h2", "http/1.1", "http/1.0"])
            let plain = try await Self.postPool(api, [:])
            #expect(plain["pool"]?["tls_enabled"] == false)
            #expect(plain["pool"]?["tls_versions"] == .null)
        }
    }

    @Test func poolRules() async throws {
        try await Self.checkPools([
            (["tls_enabled": true, "ca_tls_container_ref": "ca", "crl_container_ref": "crl"], nil),
            (["crl_container_ref": "crl"], "Validation failure: A CA reference is required to specify a certificate revocation list."),
            (["tls_container_ref": "nope"], "Could not retrieve certificate: ['nope']"),
            (["ca_tls_container_ref": "not-a-ca"],
             "Validation failure: The CA certificate is invalid. It must be a valid x509 PEM format certificate. Error: bad PEM"),
            (["ca_tls_container_ref": "ca", "crl_container_ref": "crl-other-ca"],
             "Validation failure: The CRL specified is not valid for certificate authority reference supplied."),
            (["tls_enabled": true, "tls_versions": []],
             "Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default."),
            (["tls_enabled": true, "alpn_protocols": ["spdy"]], "Validation failure: Invalid ALPN protocol: spdy"),
        ])
        try await Self.checkPools([
            (["tls_enabled": true, "tls_ciphers": "RC4-MD5"],
             "Validation failure: The following ciphers have been prohibited by an administrator: RC4-MD5"),
            (["tls_enabled": true, "tls_versions": ["TLSv1.1"]],
             "Validation failure: TLS version(s) TLSv1.1 are below the minimum TLS version TLSv1.2 allowed by the administrator."),
        ], configure: { $0.cipherProhibitList = ["RC4-MD5"]; $0.minimumTLSVersion = "TLSv1.2" })
    }

    @Test func poolUpdateKeepsCAWhileCRLExists() async throws {
        try await Self.harness().run { api in
            let created = try await Self.postPool(api, ["ca_tls_container_ref": "ca", "crl_container_ref": "crl"])
            let id = try #require(created["pool"]?["id"]?.stringValue)
            let lb = try #require(created["pool"]?["loadbalancers"]?[0]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, id)
            let refused = try await api.request(.put, "/v2.0/lbaas/pools/\(id)", json: ["pool": ["ca_tls_container_ref": .null]])
            #expect(refused.faultstring == "Validation failure: A CA reference cannot be removed when a certificate revocation list is present.")
            let enabled = try await api.request(.put, "/v2.0/lbaas/pools/\(id)", json: ["pool": ["tls_enabled": true]])
            #expect(enabled.status == .ok)
            #expect(enabled["pool"]?["tls_versions"] == ["TLSv1.2", "TLSv1.3"])
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, id)
            let both = try await api.request(.put, "/v2.0/lbaas/pools/\(id)",
                                             json: ["pool": ["ca_tls_container_ref": .null, "crl_container_ref": .null]])
            #expect(both.status == .ok)
            #expect(both["pool"]?["ca_tls_container_ref"] == .null)
        }
    }

    // MARK: - Fully-populated create

    @Test func graphCreateAppliesTheSameRules() async throws {
        try await Self.harness().run { api in
            func post(_ listener: [String: JSONValue]) async throws -> APIResponse {
                try await api.request(.post, "/v2.0/lbaas/loadbalancers", json: ["loadbalancer": [
                    "vip_subnet_id": .string(APITestHarness.subnetID),
                    "listeners": [.object(listener)],
                    "pools": [["name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "tls_enabled": true]],
                ]])
            }
            let bad = try await post(["protocol": "TERMINATED_HTTPS", "protocol_port": 443, "default_tls_container_ref": "nope"])
            #expect(bad.faultstring == "Could not retrieve certificate: ['nope']")
            let good = try await post([
                "protocol": "TERMINATED_HTTPS", "protocol_port": 443, "default_tls_container_ref": "cert-a",
                "default_pool": ["name": "p"],
            ])
            #expect(good.status == .created, "\(good.json ?? .null)")
            let listener = try #require(good["loadbalancer"]?["listeners"]?[0])
            #expect(listener["default_tls_container_ref"] == "cert-a")
            #expect(listener["tls_versions"] == ["TLSv1.2", "TLSv1.3"])
            let pool = try #require(good["loadbalancer"]?["pools"]?[0])
            #expect(pool["tls_enabled"] == true)
            #expect(pool["alpn_protocols"] == ["h2", "http/1.1", "http/1.0"])
        }
    }
}
