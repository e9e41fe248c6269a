import OctaviaCore

/// JSON Schemas of the request bodies, built from the controllers' allowed-field lists so the
/// document cannot drift from what the API accepts (an unknown attribute is a 400 in Octavia,
/// hence `additionalProperties: false`).
enum OpenAPISchemas {
    static func type(_ name: String, nullable: Bool = false) -> JSONValue {
        nullable ? ["type": [.string(name), "null"]] : ["type": .string(name)]
    }

    static func string(max: Int? = nil, nullable: Bool = true) -> JSONValue {
        var s = object(type("string", nullable: nullable))
        if let max { s["maxLength"] = .int(max) }
        return .object(s)
    }

    static func integer(min: Int? = nil, max: Int? = nil, nullable: Bool = false) -> JSONValue {
        var s = object(type("integer", nullable: nullable))
        if let min { s["minimum"] = .int(min) }
        if let max { s["maximum"] = .int(max) }
        return .object(s)
    }

    static func oneOf(_ values: [String], nullable: Bool = false) -> JSONValue {
        var s = object(type("string", nullable: nullable))
        s["enum"] = .array(values.map(JSONValue.string) + (nullable ? [.null] : []))
        return .object(s)
    }

    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let nullableUUID: JSONValue = ["type": ["string", "null"], "format": "uuid"]
    static let boolean: JSONValue = type("boolean")
    static let strings: JSONValue = ["type": ["array", "null"], "items": ["type": "string"]]
    static let anyObject: JSONValue = ["type": ["object", "null"]]
    static let anyArray: JSONValue = ["type": ["array", "null"], "items": ["type": "object"]]
    static let port = integer(min: 1, max: 65535)

    /// Types shared by every resource that has the attribute.
    static let common: [String: JSONValue] = [
        "name": string(max: 255), "description": string(max: 255), "admin_state_up": boolean,
        "project_id": string(max: 36), "tenant_id": string(max: 36), "tags": strings,
        "enabled": boolean, "provider_name": string(max: 255, nullable: false),
    ]

    static let loadBalancer: [String: JSONValue] = [
        "vip_address": string(max: 64), "vip_port_id": nullableUUID, "vip_subnet_id": nullableUUID,
        "vip_network_id": nullableUUID, "vip_qos_policy_id": nullableUUID,
        "vip_sg_ids": ["type": ["array", "null"], "items": uuid],
        "additional_vips": ["type": ["array", "null"], "items": [
            "type": "object", "properties": ["subnet_id": uuid, "ip_address": string(max: 64)],
            "required": ["subnet_id"], "additionalProperties": false,
        ]],
        "listeners": anyArray, "pools": anyArray, "provider": string(max: 64), "flavor_id": nullableUUID,
        "availability_zone": string(max: 255),
    ]

    static let listener: [String: JSONValue] = [
        "protocol": oneOf(["HTTP", "HTTPS", "TCP", "TERMINATED_HTTPS", "UDP", "SCTP", "PROMETHEUS"]),
        "protocol_port": port, "loadbalancer_id": uuid, "connection_limit": integer(min: -1, nullable: true),
        "default_pool_id": nullableUUID, "default_pool": anyObject, "l7policies": anyArray,
        "insert_headers": ["type": ["object", "null"], "additionalProperties": ["type": "string"]],
        "timeout_client_data": timeout, "timeout_member_connect": timeout, "timeout_member_data": timeout,
        "timeout_tcp_inspect": timeout, "allowed_cidrs": strings,
        "default_tls_container_ref": string(max: 255), "sni_container_refs": strings,
        "client_ca_tls_container_ref": string(max: 255), "client_crl_container_ref": string(max: 255),
        "client_authentication": oneOf(["NONE", "OPTIONAL", "MANDATORY"], nullable: true),
        "tls_ciphers": string(max: 2048), "tls_versions": tlsVersions, "alpn_protocols": alpnProtocols,
        "hsts_max_age": integer(min: 0, nullable: true), "hsts_include_subdomains": boolean, "hsts_preload": boolean,
    ]
    static let timeout = integer(min: 0, max: ListenerController.timeoutMax, nullable: true)
    /// TLS version and ALPN lists: known values only (`[]` is a 400 the schema does not express).
    static let tlsVersions: JSONValue = ["type": ["array", "null"], "items": ["type": "string", "enum": .strings(APITLSOptions.versions)]]
    static let alpnProtocols: JSONValue = ["type": ["array", "null"], "items": ["type": "string", "enum": .strings(APITLSOptions.alpnProtocols)]]

    static let pool: [String: JSONValue] = [
        "protocol": oneOf(["HTTP", "HTTPS", "PROXY", "PROXYV2", "TCP", "UDP", "SCTP"]),
        "lb_algorithm": oneOf(["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP", "SOURCE_IP_PORT"]),
        "loadbalancer_id": uuid, "listener_id": uuid,
        "session_persistence": ["type": ["object", "null"], "properties": [
            "type": oneOf(["SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE"]), "cookie_name": string(max: 255),
            "persistence_timeout": integer(min: 0, nullable: true), "persistence_granularity": string(max: 64),
        ]],
        "healthmonitor": anyObject, "members": anyArray, "tls_enabled": boolean,
        "tls_container_ref": string(max: 255), "ca_tls_container_ref": string(max: 255),
        "crl_container_ref": string(max: 255), "tls_ciphers": string(max: 2048), "tls_versions": tlsVersions,
        "alpn_protocols": alpnProtocols,
    ]

    static let member: [String: JSONValue] = [
        "address": string(max: 64, nullable: false), "protocol_port": port, "subnet_id": nullableUUID,
        "weight": integer(min: 0, max: 256, nullable: true), "backup": boolean,
        "monitor_address": string(max: 64), "monitor_port": integer(min: 1, max: 65535, nullable: true),
        "request_sriov": boolean,
    ]

    static let healthMonitor: [String: JSONValue] = [
        "pool_id": uuid, "type": oneOf(["HTTP", "HTTPS", "PING", "TCP", "TLS-HELLO", "UDP-CONNECT", "SCTP"]),
        "delay": integer(min: 0), "timeout": integer(min: 0), "max_retries": integer(min: 1, max: 10),
        "max_retries_down": integer(min: 1, max: 10, nullable: true),
        "http_method": oneOf(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"],
                             nullable: true),
        "url_path": string(max: 2048), "expected_codes": string(max: 64),
        "http_version": ["type": ["number", "null"], "enum": [.double(1.0), .double(1.1), .null]],
        "domain_name": string(max: 255),
    ]

    static let l7Policy: [String: JSONValue] = [
        "listener_id": uuid, "action": oneOf(["REDIRECT_TO_POOL", "REDIRECT_TO_URL", "REDIRECT_PREFIX", "REJECT"]),
        "redirect_pool_id": nullableUUID, "redirect_url": string(max: 255), "redirect_prefix": string(max: 255),
        "redirect_http_code": ["type": ["integer", "null"], "enum": [301, 302, 303, 307, 308, .null]],
        "position": integer(min: L7Policy.positionRange.lowerBound, max: L7Policy.positionRange.upperBound, nullable: true),
        "rules": ["type": ["array", "null"], "items": body(l7Rule, allowed: L7RuleController.singleCreateFields,
                                                            required: ["type", "compare_type", "value"])],
    ]

    static let l7Rule: [String: JSONValue] = [
        "type": oneOf(["COOKIE", "FILE_TYPE", "HEADER", "HOST_NAME", "PATH", "SSL_CONN_HAS_CERT",
                       "SSL_VERIFY_RESULT", "SSL_DN_FIELD"]),
        "compare_type": oneOf(["CONTAINS", "ENDS_WITH", "EQUAL_TO", "REGEX", "STARTS_WITH"]),
        "key": string(max: 255), "value": string(max: 255, nullable: false), "invert": boolean,
    ]

    static let quota: [String: JSONValue] = Dictionary(uniqueKeysWithValues: QuotaController.bodyNames.map {
        ($0.0, integer(min: QuotaController.minimum, max: QuotaController.maximum, nullable: true))
    })

    static let flavor: [String: JSONValue] = ["flavor_profile_id": uuid]
    static let flavorProfile: [String: JSONValue] = ["flavor_data": string(max: 4096, nullable: false)]
    static let zone: [String: JSONValue] = ["availability_zone_profile_id": uuid]
    static let zoneProfile: [String: JSONValue] = ["availability_zone_data": string(max: 4096, nullable: false)]

    /// The inner object: exactly the allowed fields, typed from `types` then ``common``.
    static func body(_ types: [String: JSONValue], allowed: Set<String>, required: [String] = []) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in allowed { properties[field] = types[field] ?? common[field] ?? [:] }
        var schema: [String: JSONValue] = [
            "type": "object", "properties": .object(properties), "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .strings(required.sorted()) }
        return .object(schema)
    }

    /// `{"<root>": {...}}`.
    static func envelope(_ root: String, _ inner: JSONValue) -> JSONValue {
        ["type": "object", "properties": [root: inner], "required": [.string(root)], "additionalProperties": false]
    }

    /// Octavia's error body.
    static let fault: JSONValue = [
        "type": "object",
        "properties": ["faultcode": ["type": "string"], "faultstring": ["type": "string"],
                       "debuginfo": ["type": ["string", "null"]]],
        "required": ["faultcode", "faultstring", "debuginfo"],
    ]

    private static func object(_ value: JSONValue) -> [String: JSONValue] {
        if case .object(let o) = value { return o }
        return [:]
    }
}
