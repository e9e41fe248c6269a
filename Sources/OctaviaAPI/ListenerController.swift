import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/listeners`.
struct ListenerController {
    let api: APIContext

    /// Graph fields: only the fully-populated load balancer create takes them.
    static let unsupported = ["default_pool", "l7policies"]
    static let putFields: Set<String> = ListenerTLSFields.keys.union([
        "name", "description", "admin_state_up", "connection_limit", "default_pool_id", "insert_headers",
        "timeout_client_data", "timeout_member_connect", "timeout_member_data", "timeout_tcp_inspect",
        "allowed_cidrs", "tags",
    ])
    static let postFields = putFields.union(unsupported).union(
        ["protocol", "protocol_port", "loadbalancer_id", "project_id", "tenant_id"])
    static let supportedProtocols: Set<ListenerProtocol> = [.http, .tcp, .https, .terminatedHTTPS, .prometheus]
    static let timeoutMax = 2_073_600_000
    static let insertHeaderKeys: Set<String> = [
        "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto", "X-Forwarded-IP", "X-Client-IP", "X-Real-IP",
    ]
    /// Client-certificate headers, TERMINATED_HTTPS only.
    static let tlsInsertHeaderKeys: Set<String> = [
        "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert", "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer",
        "X-SSL-Client-SHA1", "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After",
    ]

    func list(_ request: Request) async throws -> Response {
        let query = try ListRequest(request, for: Listener.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(Listener.self, on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) { try await render($0) }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let listener = try await api.live(Listener.self, id)
        return APIContext.single("listener", try await render(listener), fields: APIContext.fields(request))
    }

    /// Fields shared by POST and PUT, read once.
    struct Mutable {
        var name: Field<String>, description: Field<String>, adminStateUp: Field<Bool>
        var connectionLimit: Field<Int>, defaultPoolID: Field<Pool.ID>
        var insertHeaders: Field<[String: String]>, allowedCIDRs: Field<[String]>, tags: Field<[String]>
        var timeouts: [Field<Int>]

        init(_ body: BodyReader) throws {
            name = try body.string("name")
            description = try body.string("description")
            adminStateUp = try body.bool("admin_state_up")
            connectionLimit = try body.int("connection_limit", min: -1)
            defaultPoolID = try body.uuid("default_pool_id")
            insertHeaders = try body.dictionary("insert_headers").map { dict in
                try dict.mapValues { value in
                    guard case .string(let s) = value else { throw BodyReader.wrongType("insert_headers", value, expected: "str") }
                    return s
                }
            }
            allowedCIDRs = try body.stringList("allowed_cidrs").map { list in
                try list.map { text in
                    guard let cidr = CIDR(text) else {
                        throw OctaviaError.invalidInput("allowed_cidrs", text, "Value should be CIDR format")
                    }
                    return cidr.description
                }
            }
            tags = try body.stringList("tags")
            timeouts = try ["timeout_client_data", "timeout_member_connect", "timeout_member_data", "timeout_tcp_inspect"]
                .map { try body.int($0, min: 0, max: ListenerController.timeoutMax) }
        }
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "listener", argument: "listener_", allowed: Self.postFields)
        let draft = try Draft(body)
        let lbID = try body.required("loadbalancer_id", body.uuid("loadbalancer_id", LoadBalancer.ID.self))
        let project = try api.projectID(body: body, request: request)
        let lb = try await api.live(LoadBalancer.self, lbID.rawValue)
        try validate(draft.fields, protocol: draft.proto, loadBalancer: lb,
                     vips: try await LoadBalancerVIPExtras.vipContext(of: lb, on: api.store.reader))
        var candidate = draft.listener(project: project, loadBalancer: lbID, defaults: api.options.listenerDefaults)
        try await ListenerTLSValidation(options: api.options.tls).apply(draft.tls, to: &candidate, creating: true)
        let listener = candidate
        try await api.store.write { tx in
            try await api.quotas.check(.listener, Listener.self, project: listener.projectID, in: tx)
            try await api.lockLoadBalancer(tx, lbID)
            try await checkDuplicatePort(listener, tx)
            if let poolID = listener.defaultPoolID { try await checkDefaultPool(poolID, for: listener, tx) }
            try await tx.insert(listener)
            try await tx.enqueue(.changeObject(lbID, .listener(listener.id), .create))
        }
        return APIContext.single("listener", try await render(listener), status: .created)
    }

    /// A POSTed listener's own fields, checked before any lookup; shared with the fully-populated LB create.
    struct Draft {
        var proto: ListenerProtocol, port: Int, fields: Mutable, tls: ListenerTLSFields

        init(_ body: BodyReader) throws {
            try body.rejectUnsupported(ListenerController.unsupported)
            proto = try body.required("protocol", body.enumValue("protocol", ListenerProtocol.self))
            port = try body.required("protocol_port", body.int("protocol_port", min: 1, max: 65535))
            fields = try Mutable(body)
            tls = try ListenerTLSFields(body)
            guard ListenerController.supportedProtocols.contains(proto) else {
                throw OctaviaError(.badRequest, "The selected protocol is not allowed in this deployment: \(proto.rawValue)")
            }
        }

        /// The PENDING_CREATE row.
        func listener(project: ProjectID, loadBalancer: LoadBalancer.ID, defaults: ListenerTimeoutDefaults) -> Listener {
            Listener(
                projectID: project, loadBalancerID: loadBalancer, name: fields.name.value, description: fields.description.value,
                adminStateUp: fields.adminStateUp.value ?? !fields.adminStateUp.isPresent,
                provisioningStatus: .pendingCreate, operatingStatus: .offline, protocol: proto, protocolPort: port,
                connectionLimit: fields.connectionLimit.value ?? -1, defaultPoolID: fields.defaultPoolID.value,
                timeoutClientData: fields.timeouts[0].value ?? defaults.timeoutClientData,
                timeoutMemberConnect: fields.timeouts[1].value ?? defaults.timeoutMemberConnect,
                timeoutMemberData: fields.timeouts[2].value ?? defaults.timeoutMemberData,
                timeoutTCPInspect: fields.timeouts[3].value ?? defaults.timeoutTCPInspect,
                insertHeaders: fields.insertHeaders.value ?? [:],
                allowedCIDRs: (fields.allowedCIDRs.value?.isEmpty ?? true) ? nil : fields.allowedCIDRs.value,
                tags: fields.tags.value ?? [])
        }
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(Listener.self, id)
        let body = try await api.body(request, root: "listener", argument: "listener_", allowed: Self.putFields)
        let fields = try Mutable(body)
        let lb = try await api.live(LoadBalancer.self, existing.loadBalancerID.rawValue)
        try validate(fields, protocol: existing.protocol, loadBalancer: lb,
                     vips: try await LoadBalancerVIPExtras.vipContext(of: lb, on: api.store.reader))
        var withTLS = existing
        try await ListenerTLSValidation(options: api.options.tls).apply(ListenerTLSFields(body), to: &withTLS, creating: false)
        let tls = withTLS
        let defaults = api.options.listenerDefaults
        let updated = try await api.store.write { tx -> Listener in
            try await api.lockLoadBalancer(tx, existing.loadBalancerID)
            guard var listener = try await tx.fetch(Listener.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(Listener.resourceName, id)
            }
            if fields.name.isPresent { listener.name = fields.name.value }
            if fields.description.isPresent { listener.description = fields.description.value }
            if fields.adminStateUp.isPresent { listener.adminStateUp = fields.adminStateUp.value ?? false }
            if fields.connectionLimit.isPresent { listener.connectionLimit = fields.connectionLimit.value ?? -1 }
            if fields.defaultPoolID.isPresent {
                if let poolID = fields.defaultPoolID.value { try await checkDefaultPool(poolID, for: listener, tx) }
                listener.defaultPoolID = fields.defaultPoolID.value
            }
            let defaultTimeouts = [defaults.timeoutClientData, defaults.timeoutMemberConnect, defaults.timeoutMemberData,
                                   defaults.timeoutTCPInspect]
            let resolved = zip(fields.timeouts, defaultTimeouts).map { $0.isPresent ? ($0.value ?? $1) : nil }
            if let v = resolved[0] { listener.timeoutClientData = v }
            if let v = resolved[1] { listener.timeoutMemberConnect = v }
            if let v = resolved[2] { listener.timeoutMemberData = v }
            if let v = resolved[3] { listener.timeoutTCPInspect = v }
            if fields.insertHeaders.isPresent { listener.insertHeaders = JSONColumn(fields.insertHeaders.value ?? [:]) }
            if fields.allowedCIDRs.isPresent {
                let list = fields.allowedCIDRs.value ?? []
                listener.allowedCIDRs = list.isEmpty ? nil : JSONColumn(list)
            }
            if fields.tags.isPresent { listener.tags = JSONColumn(fields.tags.value ?? []) }
            ListenerTLSValidation.copyTLS(from: tls, to: &listener)
            listener.provisioningStatus = .pendingUpdate
            listener.updatedAt = Date()
            try await tx.update(listener)
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .listener(listener.id), .update))
            return listener
        }
        return APIContext.single("listener", try await render(updated))
    }

    func delete(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(Listener.self, id)
        try await api.store.write { tx in
            try await api.lockLoadBalancer(tx, existing.loadBalancerID)
            try await tx.setStatus(Listener.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(existing.loadBalancerID, .listener(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    /// Cross-field rules that need no further look-up (validation.md §3).
    /// - Parameter vips: the load balancer's VIP addresses and whether it has custom security
    ///   groups; nil = only its primary VIP (the fully-populated create, before anything is stored).
    func validate(_ fields: Mutable, protocol proto: ListenerProtocol, loadBalancer: LoadBalancer,
                  vips: (addresses: [String], hasGroups: Bool)? = nil) throws {
        if let headers = fields.insertHeaders.value, !headers.isEmpty {
            guard proto == .http || proto == .terminatedHTTPS else {
                throw OctaviaError(.badRequest, "insert-headers is not a valid option for a \(proto.rawValue) protocol listener.")
            }
            // Octavia prints the Python key list (`dict_keys([...])`); ours is sorted, not in request order.
            let keys = headers.keys.sorted()
            let quoted = { (list: [String]) in "[" + list.map { "'\($0)'" }.joined(separator: ", ") + "]" }
            if !Set(keys).isSubset(of: Self.insertHeaderKeys.union(Self.tlsInsertHeaderKeys)) {
                throw OctaviaError(.badRequest, "dict_keys(\(quoted(keys))) is not a valid option for insert_headers")
            }
            let tlsOnly = keys.filter(Self.tlsInsertHeaderKeys.contains)
            if proto != .terminatedHTTPS && !tlsOnly.isEmpty {
                throw OctaviaError(.badRequest, "\(quoted(tlsOnly)) is not a valid option for \(proto.rawValue) protocol listener.")
            }
        }
        if let cidrs = fields.allowedCIDRs.value, !cidrs.isEmpty {
            let context = vips ?? (loadBalancer.vipAddress.map { [$0] } ?? [], false)
            if context.hasGroups {
                throw OctaviaError.validation("Allowed CIDRs are not allowed when using custom VIP Security Groups.")
            }
            let versions = Set(context.addresses.compactMap { IPAddress($0)?.version })
            for text in cidrs where !versions.contains(CIDR(text)?.network.version ?? 0) {
                let list = "[" + context.addresses.map { "'\($0)'" }.joined(separator: ", ") + "]"
                throw OctaviaError.validation("CIDR \(text) IP version incompatible with all VIPs \(list) IP version.")
            }
        }
    }

    /// Two listeners on one LB may share a port only with different L4 protocols; the message
    /// names the listener already there, as Octavia's does.
    func checkDuplicatePort(_ listener: Listener, _ tx: any StoreWriting) async throws {
        let l4 = { (p: ListenerProtocol) -> ListenerProtocol in p == .udp || p == .sctp ? p : .tcp }
        let clash = try await tx.list(Listener.self, ListQuery(filters: [
            ("load_balancer_id", .string(listener.loadBalancerID.rawValue)),
            ("protocol_port", .int(listener.protocolPort)),
        ])).first { $0.provisioningStatus != .deleted && $0.id != listener.id && l4($0.protocol) == l4(listener.protocol) }
        if let clash {
            throw OctaviaError(.conflict,
                "Another Listener on this Load Balancer is already using protocol \(clash.protocol.rawValue) and protocol_port \(listener.protocolPort)")
        }
    }

    /// A default pool must be on the same LB (else 404) and protocol-compatible (validation.md §2).
    func checkDefaultPool(_ poolID: Pool.ID, for listener: Listener, _ tx: any StoreWriting) async throws {
        try Self.checkPoolAttach(listener: listener.protocol, pool: nil)
        guard let pool = try await tx.fetch(Pool.self, id: poolID.rawValue), pool.provisioningStatus != .deleted,
              pool.loadBalancerID == listener.loadBalancerID
        else { throw OctaviaError.notFound(Pool.resourceName, poolID.rawValue) }
        try Self.checkCompatible(listener: listener.protocol, pool: pool.protocol)
    }

    /// A pool attached to a listener: PROMETHEUS listeners take none (checked before the pool is
    /// looked up, as in Octavia), the others only compatible protocols.
    static func checkPoolAttach(listener: ListenerProtocol, pool: PoolProtocol?) throws {
        if listener == .prometheus {
            throw OctaviaError(.badRequest, "Protocol PROMETHEUS listeners cannot have child objects.")
        }
        if let pool { try checkCompatible(listener: listener, pool: pool) }
    }

    static func checkCompatible(listener: ListenerProtocol, pool: PoolProtocol) throws {
        let allowed: Set<PoolProtocol>
        switch listener {
        case .tcp: allowed = [.http, .https, .proxy, .proxyV2, .tcp]
        case .http, .terminatedHTTPS: allowed = [.http, .proxy, .proxyV2]
        case .https: allowed = [.https, .proxy, .proxyV2, .tcp]
        case .udp: allowed = [.udp]
        case .sctp: allowed = [.sctp]
        case .prometheus: allowed = []
        }
        guard allowed.contains(pool) else {
            throw OctaviaError(.badRequest,
                "The pool protocol '\(pool.rawValue)' is invalid while the listener protocol is '\(listener.rawValue)'.")
        }
    }

    func render(_ l: Listener) async throws -> JSONValue {
        let policies = try await api.store.reader.list(L7Policy.self, ListQuery(
            filters: [("listener_id", .string(l.id.rawValue))], sort: [("position", .asc), ("id", .asc)]))
            .filter { $0.provisioningStatus != .deleted }
        let base: [String: JSONValue] = [
            "id": .string(l.id.rawValue),
            "name": .text(l.name),
            "description": .text(l.description),
            "admin_state_up": .bool(l.adminStateUp),
            "project_id": .string(l.projectID.rawValue),
            "tenant_id": .string(l.projectID.rawValue),
            "provisioning_status": .string(l.provisioningStatus.rawValue),
            "operating_status": .string(l.operatingStatus.rawValue),
            "created_at": Timestamp.json(l.createdAt),
            "updated_at": Timestamp.json(l.updatedAt),
            "protocol": .string(l.protocol.rawValue),
            "protocol_port": .int(l.protocolPort),
            "connection_limit": .int(l.connectionLimit),
            "default_pool_id": .optional(l.defaultPoolID?.rawValue),
            "loadbalancers": .idList([l.loadBalancerID.rawValue]),
            "timeout_client_data": .int(l.timeoutClientData),
            "timeout_member_connect": .int(l.timeoutMemberConnect),
            "timeout_member_data": .int(l.timeoutMemberData),
            "timeout_tcp_inspect": .int(l.timeoutTCPInspect),
            "insert_headers": .object(l.insertHeaders.value.mapValues(JSONValue.string)),
            "allowed_cidrs": l.allowedCIDRs.map { .strings($0.value) } ?? .null,
            "tags": .strings(l.tags.value),
            "l7policies": .idList(policies.map(\.id.rawValue)),
        ]
        return .object(base.merging(ListenerTLSValidation.render(l)) { $1 })
    }
}
