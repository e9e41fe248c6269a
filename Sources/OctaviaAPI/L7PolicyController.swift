import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/l7policies`.
struct L7PolicyController {
    let api: APIContext

    static let putFields: Set<String> = [
        "name", "description", "admin_state_up", "action", "redirect_pool_id", "redirect_url", "redirect_prefix",
        "position", "tags", "redirect_http_code",
    ]
    static let postFields = putFields.union(["listener_id", "rules", "project_id", "tenant_id"])
    /// The amphora provider serves L7 policies only where HAProxy speaks HTTP.
    static let l7Protocols: Set<ListenerProtocol> = [.http, .terminatedHTTPS]

    func list(_ request: Request) async throws -> Response {
        let query = try ListRequest(request, for: L7Policy.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(L7Policy.self, on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) { try await render($0) }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let policy = try await api.live(L7Policy.self, id)
        return APIContext.single("l7policy", try await render(policy), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "l7policy", argument: "l7policy_", allowed: Self.postFields)
        let fields = try L7PolicyFields(body)
        let action = try body.required("action", fields.action)
        let listenerID = try body.required("listener_id", body.uuid("listener_id", Listener.ID.self))
        let ruleBodies = try body.raw("rules").map { value -> [[String: JSONValue]] in
            guard case .array(let items) = value else { throw BodyReader.wrongType("rules", value, expected: "list") }
            return try items.map { item in
                guard case .object(let o) = item else { throw BodyReader.wrongType("rules", item, expected: "dict") }
                return o
            }
        }.value ?? []
        let redirect = try fields.sanitized(action: action)
        let position = fields.position.value ?? L7Policy.positionRange.upperBound
        if let poolID = redirect.poolID { _ = try await api.live(Pool.self, poolID.rawValue) }
        let listener = try await api.live(Listener.self, listenerID.rawValue)
        let lb = try await api.store.reader.fetch(LoadBalancer.self, id: listener.loadBalancerID.rawValue)
        try Self.checkProtocol(listener, provider: lb?.provider ?? "")
        if let poolID = redirect.poolID { try await checkRedirectPool(poolID, listener: listener) }
        let project = try api.projectID(body: body, request: request)
        let rules = try ruleBodies.map { object -> L7RuleController.RuleDraft in
            let unknown = Set(object.keys).subtracting(L7RuleController.singleCreateFields)
            if !unknown.isEmpty { throw BodyReader.unknown("l7policy_.l7policy.rules", unknown) }
            return try L7RuleController.RuleDraft(BodyReader(object: object, argument: "rule_", root: "rule"))
        }
        if rules.count > L7Policy.maximumRules {
            throw OctaviaError(.conflict, "Too many rules on L7 policy")
        }
        let draft = L7Policy(
            projectID: project, listenerID: listener.id, name: fields.name.value, description: fields.description.value,
            adminStateUp: fields.adminStateUp.value ?? !fields.adminStateUp.isPresent, provisioningStatus: .pendingCreate,
            operatingStatus: .offline, action: redirect.action, redirectPoolID: redirect.poolID,
            redirectURL: redirect.url, redirectPrefix: redirect.prefix, redirectHTTPCode: redirect.httpCode,
            position: position, tags: fields.tags.value ?? [])
        let policy = try await api.store.write { tx -> L7Policy in
            try await api.quotas.check(.l7Policy, L7Policy.self, project: project, in: tx)
            try await api.quotas.check(.l7Rule, L7Rule.self, project: project, adding: rules.count, in: tx)
            try await lockListener(listener, tx)
            let placed = try await Self.place(draft, at: position, tx)
            for draft in rules {
                try await tx.insert(draft.rule(project: project, policy: placed.id))
            }
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7policy(placed.id), .create))
            return placed
        }
        return APIContext.single("l7policy", try await render(policy), status: .created)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(L7Policy.self, id)
        let body = try await api.body(request, root: "l7policy", argument: "l7policy_", allowed: Self.putFields)
        let fields = try L7PolicyFields(body)
        if body.object.isEmpty {
            throw OctaviaError(.badRequest, "Invalid L7 Policy arguments: Invalid update options")
        }
        let redirect = try fields.sanitizedUpdate(current: existing)
        if let poolID = fields.redirectPoolID.value { _ = try await api.live(Pool.self, poolID.rawValue) }
        let listener = try await api.live(Listener.self, existing.listenerID.rawValue)
        if let poolID = redirect.poolID, poolID != existing.redirectPoolID {
            try await checkRedirectPool(poolID, listener: listener)
        }
        let updated = try await api.store.write { tx -> L7Policy in
            try await lockListener(listener, tx)
            guard var policy = try await tx.fetch(L7Policy.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(L7Policy.resourceName, id)
            }
            if fields.name.isPresent { policy.name = fields.name.value }
            if fields.description.isPresent { policy.description = fields.description.value }
            if fields.adminStateUp.isPresent { policy.adminStateUp = fields.adminStateUp.value ?? false }
            if fields.tags.isPresent { policy.tags = JSONColumn(fields.tags.value ?? []) }
            policy.action = redirect.action
            policy.redirectPoolID = redirect.poolID
            policy.redirectURL = redirect.url
            policy.redirectPrefix = redirect.prefix
            policy.redirectHTTPCode = redirect.httpCode
            policy.provisioningStatus = .pendingUpdate
            policy.updatedAt = Date()
            try await tx.update(policy)
            if let position = fields.position.value, position != policy.position {
                policy = try await Self.move(policy, to: position, tx)
            }
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7policy(policy.id), .update))
            return policy
        }
        return APIContext.single("l7policy", try await render(updated))
    }

    func delete(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(L7Policy.self, id)
        let listener = try await api.live(Listener.self, existing.listenerID.rawValue)
        try await api.store.write { tx in
            try await lockListener(listener, tx)
            try await tx.setStatus(L7Policy.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7policy(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    /// LB ACTIVE → PENDING_UPDATE, and its listener PENDING_UPDATE (lifecycle.md).
    func lockListener(_ listener: Listener, _ tx: any StoreWriting) async throws {
        try await api.lockLoadBalancer(tx, listener.loadBalancerID)
        try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
    }

    static func checkProtocol(_ listener: Listener, provider: String) throws {
        guard l7Protocols.contains(listener.protocol) || !ProviderDriverCatalog.isAmphora(provider) else {
            throw OctaviaError(.notImplemented,
                "Provider 'amphora' does not support a requested option: L7 policies are supported only on HTTP and TERMINATED_HTTPS listeners, not on \(listener.protocol.rawValue).")
        }
    }

    /// The redirect pool must be on the listener's load balancer (else 404) and protocol-compatible (400).
    func checkRedirectPool(_ poolID: Pool.ID, listener: Listener) async throws {
        let pool = try await api.live(Pool.self, poolID.rawValue)
        guard pool.loadBalancerID == listener.loadBalancerID else {
            throw OctaviaError.notFound(Pool.resourceName, poolID.rawValue)
        }
        try ListenerController.checkCompatible(listener: listener.protocol, pool: pool.protocol)
    }

    /// The listener's policies in list order (every row: PENDING_DELETE ones keep their place until deleted).
    static func ordered(_ listener: Listener.ID, _ tx: any StoreReading) async throws -> [L7Policy] {
        try await tx.list(L7Policy.self, ListQuery(filters: [("listener_id", .string(listener.rawValue))],
                                                   sort: [("position", .asc), ("created_at", .asc), ("id", .asc)]))
    }

    /// Inserts a new policy at `position` (1-based; past the end appends) and renumbers the list 1...n,
    /// as Octavia's ordering list does.
    static func place(_ policy: L7Policy, at position: Int, _ tx: any StoreWriting) async throws -> L7Policy {
        var list = try await ordered(policy.listenerID, tx)
        var inserted = policy
        inserted.position = L7Policy.positionRange.upperBound
        try await tx.insert(inserted)
        list.insert(inserted, at: min(position - 1, list.count))
        return try await renumber(list, returning: policy.id, tx)
    }

    /// Moves an existing policy to `position` and renumbers.
    static func move(_ policy: L7Policy, to position: Int, _ tx: any StoreWriting) async throws -> L7Policy {
        var list = try await ordered(policy.listenerID, tx)
        guard let index = list.firstIndex(where: { $0.id == policy.id }) else { return policy }
        let moving = list.remove(at: index)
        list.insert(moving, at: min(position - 1, list.count))
        return try await renumber(list, returning: policy.id, tx)
    }

    private static func renumber(_ list: [L7Policy], returning id: L7Policy.ID, _ tx: any StoreWriting) async throws -> L7Policy {
        var result: L7Policy?
        for (index, var policy) in list.enumerated() {
            if policy.position != index + 1 {
                policy.position = index + 1
                try await tx.update(policy)
            }
            if policy.id == id { result = policy }
        }
        guard let result else { throw OctaviaError.notFound(L7Policy.resourceName, id.rawValue) }
        return result
    }

    func render(_ p: L7Policy) async throws -> JSONValue {
        let rules = try await api.store.reader.list(L7Rule.self, ListQuery(
            filters: [("l7policy_id", .string(p.id.rawValue))], sort: [("created_at", .asc), ("id", .asc)]))
            .filter { $0.provisioningStatus != .deleted }
        return [
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
            "action": .string(p.action.rawValue),
            "listener_id": .string(p.listenerID.rawValue),
            "redirect_pool_id": .optional(p.redirectPoolID?.rawValue),
            "redirect_url": .optional(p.redirectURL),
            "redirect_prefix": .optional(p.redirectPrefix),
            "redirect_http_code": .optional(p.redirectHTTPCode),
            "position": .int(p.position),
            "rules": .idList(rules.map(\.id.rawValue)),
            "tags": .strings(p.tags.value),
        ]
    }
}

extension L7Policy: APIResource {
    static let resourceName = "L7 Policy"
    static let singular = "l7policy"
    static let plural = "l7policies"
    static let columns = makeColumns([
        "description": .init(column: "description", kind: .string),
        "action": .init(column: "action", kind: .string),
        "listener_id": .init(column: "listener_id", kind: .string),
        "redirect_pool_id": .init(column: "redirect_pool_id", kind: .string),
        "redirect_url": .init(column: "redirect_url", kind: .string),
        "redirect_prefix": .init(column: "redirect_prefix", kind: .string),
        "redirect_http_code": .init(column: "redirect_http_code", kind: .int),
        "position": .init(column: "position", kind: .int),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}
