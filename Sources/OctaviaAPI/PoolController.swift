import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/pools`.
struct PoolController {
    let api: APIContext

    /// Graph-only fields: only the fully-populated load balancer create takes them.
    static let unsupported = ["healthmonitor", "members"]
    static let putFields: Set<String> = PoolTLSFields.keys.union([
        "name", "description", "admin_state_up", "lb_algorithm", "session_persistence", "tags",
    ])
    static let postFields = putFields.union(unsupported).union(
        ["protocol", "loadbalancer_id", "listener_id", "project_id", "tenant_id"])
    static let supportedProtocols: Set<PoolProtocol> = [.http, .https, .tcp, .proxy, .proxyV2]

    func list(_ request: Request) async throws -> Response {
        let query = try ListRequest(request, for: Pool.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(Pool.self, on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) { try await render($0) }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let pool = try await api.live(Pool.self, id)
        return APIContext.single("pool", try await render(pool), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "pool", argument: "pool_", allowed: Self.postFields)
        try body.rejectUnsupported(Self.unsupported)
        let draft = try Draft(body)
        let proto = draft.proto
        let lbField = try body.uuid("loadbalancer_id", LoadBalancer.ID.self)
        let listenerField = try body.uuid("listener_id", Listener.ID.self)
        let project = try api.projectID(body: body, request: request)

        var lbID = lbField.value
        var listener: Listener?
        if let listenerID = listenerField.value {
            let found = try await api.live(Listener.self, listenerID.rawValue)
            if let lbID, lbID != found.loadBalancerID {
                throw OctaviaError.validation("The loadbalancer_id of the listener does not match the loadbalancer_id of the pool.")
            }
            try ListenerController.checkPoolAttach(listener: found.protocol, pool: proto)
            lbID = found.loadBalancerID
            listener = found
        }
        guard let lbID else {
            throw OctaviaError.validation("Must provide at least one of: loadbalancer_id, listener_id")
        }
        let provider = try await api.live(LoadBalancer.self, lbID.rawValue).provider
        let parentListener = listener
        var candidate = draft.pool(project: project, loadBalancer: lbID)
        try await PoolTLSValidation(options: api.options.tls).apply(draft.tls, to: &candidate, creating: true)
        let pool = candidate
        try await api.store.write { tx in
            try await api.quotas.check(.pool, Pool.self, project: pool.projectID, in: tx)
            try await api.lockLoadBalancer(tx, lbID)
            // The provider's refusal comes last, as Octavia calls the driver after every API check.
            try Self.checkAlgorithm(pool.lbAlgorithm, provider: provider)
            try await tx.insert(pool)
            if let listener = parentListener {
                guard var current = try await tx.fetch(Listener.self, id: listener.id.rawValue) else {
                    throw OctaviaError.notFound(Listener.resourceName, listener.id.rawValue)
                }
                if current.defaultPoolID != nil {
                    throw OctaviaError(.conflict, "This listener already has a default pool")
                }
                current.defaultPoolID = pool.id
                current.provisioningStatus = .pendingUpdate
                current.updatedAt = Date()
                try await tx.update(current)
            }
            try await tx.enqueue(.changeObject(lbID, .pool(pool.id), .create))
        }
        return APIContext.single("pool", try await render(pool), status: .created)
    }

    /// A POSTed pool's own fields, checked before any lookup; shared with the fully-populated LB create.
    struct Draft {
        var proto: PoolProtocol, algorithm: LoadBalancingAlgorithm, name: String?, description: String?
        var adminStateUp: Bool, persistence: SessionPersistence?, tags: [String], tls: PoolTLSFields

        init(_ body: BodyReader) throws {
            proto = try body.required("protocol", body.enumValue("protocol", PoolProtocol.self))
            algorithm = try body.required("lb_algorithm", body.enumValue("lb_algorithm", LoadBalancingAlgorithm.self))
            name = try body.string("name").value
            description = try body.string("description").value
            let admin = try body.bool("admin_state_up")
            adminStateUp = admin.value ?? !admin.isPresent
            persistence = try PoolController.sessionPersistence(body, protocol: proto, creating: true).value
            tags = try body.stringList("tags").value ?? []
            tls = try PoolTLSFields(body)
            guard PoolController.supportedProtocols.contains(proto) else {
                throw OctaviaError(.badRequest, "The selected protocol is not allowed in this deployment: \(proto.rawValue)")
            }
        }

        /// The PENDING_CREATE row.
        func pool(id: Pool.ID = .generate(), project: ProjectID, loadBalancer: LoadBalancer.ID) -> Pool {
            Pool(id: id, projectID: project, loadBalancerID: loadBalancer, name: name, description: description,
                 adminStateUp: adminStateUp, provisioningStatus: .pendingCreate, operatingStatus: .offline, protocol: proto,
                 lbAlgorithm: algorithm, sessionPersistence: persistence, tags: tags)
        }
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(Pool.self, id)
        let body = try await api.body(request, root: "pool", argument: "pool_", allowed: Self.putFields)
        try body.rejectUnsupported(Self.unsupported)
        let name = try body.string("name")
        let description = try body.string("description")
        let adminStateUp = try body.bool("admin_state_up")
        let algorithm = try body.enumValue("lb_algorithm", LoadBalancingAlgorithm.self)
        let persistence = try Self.sessionPersistence(body, protocol: existing.protocol, current: existing.sessionPersistence?.value)
        let tags = try body.stringList("tags")
        var withTLS = existing
        try await PoolTLSValidation(options: api.options.tls).apply(PoolTLSFields(body), to: &withTLS, creating: false)
        let tls = withTLS
        if let algorithm = algorithm.value {
            let lb = try await api.store.reader.fetch(LoadBalancer.self, id: existing.loadBalancerID.rawValue)
            try Self.checkAlgorithm(algorithm, provider: lb?.provider ?? "")
        }
        if case .null = algorithm { throw OctaviaError.invalidInput("lb_algorithm", "None", "Mandatory field missing.") }
        let updated = try await api.store.write { tx -> Pool in
            try await api.lockLoadBalancer(tx, existing.loadBalancerID)
            guard var pool = try await tx.fetch(Pool.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(Pool.resourceName, id)
            }
            try await api.markListeners(using: pool.id, tx)
            if name.isPresent { pool.name = name.value }
            if description.isPresent { pool.description = description.value }
            if adminStateUp.isPresent { pool.adminStateUp = adminStateUp.value ?? false }
            if let algorithm = algorithm.value { pool.lbAlgorithm = algorithm }
            if persistence.isPresent { pool.sessionPersistence = persistence.value.map(JSONColumn.init) }
            if tags.isPresent { pool.tags = JSONColumn(tags.value ?? []) }
            PoolTLSValidation.copyTLS(from: tls, to: &pool)
            pool.provisioningStatus = .pendingUpdate
            pool.updatedAt = Date()
            try await tx.update(pool)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .pool(pool.id), .update))
            return pool
        }
        return APIContext.single("pool", try await render(updated))
    }

    func delete(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(Pool.self, id)
        try await api.store.write { tx in
            // Octavia's PoolInUseByL7Policy.
            if let policy = try await tx.list(L7Policy.self, ListQuery(filters: [("redirect_pool_id", .string(existing.id.rawValue))]))
                .first(where: { $0.provisioningStatus != .deleted }) {
                throw OctaviaError(.conflict, "Pool \(existing.id) is in use by L7 policy \(policy.id)")
            }
            try await api.lockLoadBalancer(tx, existing.loadBalancerID)
            try await api.markListeners(using: existing.id, tx)
            try await tx.setStatus(Pool.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(existing.loadBalancerID, .pool(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    /// The amphora provider has no SOURCE_IP_PORT (501).
    static func checkAlgorithm(_ algorithm: LoadBalancingAlgorithm, provider: String) throws {
        if algorithm == .sourceIPPort && ProviderDriverCatalog.isAmphora(provider) {
            throw OctaviaError(.notImplemented,
                "Provider 'amphora' does not support a requested option: Amphora provider does not support SOURCE_IP_PORT algorithm.")
        }
    }

    /// Reads and checks `session_persistence` (validation.md §4). `null` or `{}` removes it;
    /// on PUT an omitted `type` is inherited from `current`.
    static func sessionPersistence(_ body: BodyReader, protocol proto: PoolProtocol, current: SessionPersistence? = nil,
                                   creating: Bool = false) throws -> Field<SessionPersistence>
    {
        let field = try body.dictionary("session_persistence")
        let dict: [String: JSONValue]
        switch field {
        case .absent: return .absent
        case .null: return .null
        case .value(let value): dict = value
        }
        if dict.isEmpty { return .null }
        let allowed: Set<String> = ["type", "cookie_name", "persistence_timeout", "persistence_granularity"]
        let unknown = Set(dict.keys).subtracting(allowed)
        if !unknown.isEmpty { throw BodyReader.unknown("\(body.argument).\(body.root).session_persistence", unknown) }
        let inner = try BodyReader(object: dict, argument: body.argument, root: body.root)
        let type = try inner.enumValue("type", SessionPersistenceType.self).value ?? current?.type
        guard let type else { throw OctaviaError.invalidInput("type", "None", "Mandatory field missing.") }
        let cookie = try inner.string("cookie_name").value
        let timeout = try inner.int("persistence_timeout").value
        let granularity = try inner.string("persistence_granularity").value
        // The type layer's pattern first (WSME), then Octavia's `check_session_persistence`.
        if let cookie, cookie.isEmpty || cookie.unicodeScalars.contains(where: {
            CharacterSet.whitespacesAndNewlines.contains($0) || ",;\\".unicodeScalars.contains($0)
        }) {
            throw OctaviaError.invalidInput("cookie_name", cookie, "Value should match the pattern ^[^\\s,;\\\\]+$")
        }
        if timeout != nil || granularity != nil {
            // Octavia's create and update word this differently.
            throw OctaviaError.validation("persistence_timeout and persistence_granularity is only for "
                + (creating ? "UDP and SCTP protocol pools." : "UDP protocol pools."))
        }
        if let cookie {
            guard type == .appCookie else {
                throw OctaviaError.validation(
                    #"Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE"."#)
            }
            let forbidden = CharacterSet(charactersIn: "\"(),/:;<=>?@[\\]{} ").union(.controlCharacters)
            if cookie.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value == 0x7F }) {
                throw OctaviaError.validation(#"Supplied "cookie_name" is invalid."#)
            }
        } else if type == .appCookie {
            throw OctaviaError.validation(
                #"Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type."#)
        }
        return .value(SessionPersistence(type: type, cookieName: cookie))
    }

    func render(_ p: Pool) async throws -> JSONValue {
        let reader = api.store.reader
        let listeners = try await reader.list(Listener.self, ListQuery(filters: [("default_pool_id", .string(p.id.rawValue))],
                                                                       sort: [("created_at", .asc), ("id", .asc)]))
            .filter { $0.provisioningStatus != .deleted }
        let byPool = ListQuery(filters: [("pool_id", .string(p.id.rawValue))], sort: [("created_at", .asc), ("id", .asc)])
        let members = try await reader.list(Member.self, byPool).filter { $0.provisioningStatus != .deleted }
        let monitor = try await reader.list(HealthMonitor.self, byPool).first { $0.provisioningStatus != .deleted }
        let persistence: JSONValue = p.sessionPersistence.map { sp in
            [
                "type": .string(sp.value.type.rawValue),
                "cookie_name": .optional(sp.value.cookieName),
                "persistence_timeout": .optional(sp.value.persistenceTimeout),
                "persistence_granularity": .optional(sp.value.persistenceGranularity),
            ]
        } ?? .null
        let base: [String: JSONValue] = [
            "id": .string(p.id.rawValue),
            "name": .text(p.name),
            "description": .text(p.description),
            "admin_state_up": .bool(p.adminStateUp),
            "project_id": .string(p.projectID.rawValue),
            "tenant_id": .string(p.projectID.rawValue),
            "provisioning_status": .string(p.provisioningStatus.rawValue),
            "operating_status": .string(p.operatingStatus.rawValue),
            "created_at": Timestamp.json(p.createdAt),
            "updated_at": Timestamp.json(p.updatedAt),
            "protocol": .string(p.protocol.rawValue),
            "lb_algorithm": .string(p.lbAlgorithm.rawValue),
            "session_persistence": persistence,
            "loadbalancers": .idList([p.loadBalancerID.rawValue]),
            "listeners": .idList(listeners.map(\.id.rawValue)),
            "members": .idList(members.map(\.id.rawValue)),
            "healthmonitor_id": .optional(monitor?.id.rawValue),
            "tags": .strings(p.tags.value),
        ]
        return .object(base.merging(PoolTLSValidation.render(p)) { $1 })
    }
}
