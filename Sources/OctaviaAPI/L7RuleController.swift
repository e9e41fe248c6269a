import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/l7policies/{l7policy_id}/rules` (envelope `rule` / `rules`).
struct L7RuleController {
    let api: APIContext

    static let putFields: Set<String> = ["type", "compare_type", "key", "value", "invert", "admin_state_up", "tags"]
    static let postFields = putFields.union(["project_id", "tenant_id"])
    /// Rules embedded in a policy POST.
    static let singleCreateFields = putFields

    /// The policy named in the path; Octavia's sub-controller lookup calls it `L7Policy`.
    func policy(_ id: String) async throws -> L7Policy {
        guard let uuid = L7Policy.ID(id), let policy = try await api.store.reader.fetch(L7Policy.self, id: uuid),
              policy.provisioningStatus != .deleted
        else { throw OctaviaError.notFound("L7Policy", id) }
        return policy
    }

    /// A rule addressed under a policy it does not belong to is not found.
    func rule(_ id: String, in policyID: String) async throws -> (L7Policy, L7Rule) {
        let policy = try await policy(policyID)
        let rule = try await api.live(L7Rule.self, id)
        guard rule.l7PolicyID == policy.id else { throw OctaviaError.notFound(L7Rule.resourceName, id) }
        return (policy, rule)
    }

    func list(_ request: Request, policyID: String) async throws -> Response {
        let policy = try await policy(policyID)
        let query = try ListRequest(request, for: L7Rule.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(L7Rule.self, on: api.store.reader,
                                       extraFilters: [("l7policy_id", .string(policy.id.rawValue))])
        return try await api.listResponse(rows, list: query, request: request) { render($0) }
    }

    func show(_ request: Request, policyID: String, id: String) async throws -> Response {
        let (_, rule) = try await rule(id, in: policyID)
        return APIContext.single("rule", render(rule), fields: APIContext.fields(request))
    }

    /// A POSTed rule, checked as Octavia does before touching the database.
    struct RuleDraft {
        var type: L7RuleType, compareType: L7RuleCompareType, key: String?, value: String
        var invert: Bool, adminStateUp: Bool, tags: [String]

        init(_ body: BodyReader) throws {
            type = try body.required("type", body.enumValue("type", L7RuleType.self))
            compareType = try body.required("compare_type", body.enumValue("compare_type", L7RuleCompareType.self))
            key = try L7RuleController.line(body, "key").value
            value = try body.required("value", L7RuleController.line(body, "value"))
            invert = try body.bool("invert").value ?? false
            let admin = try body.bool("admin_state_up")
            adminStateUp = admin.value ?? !admin.isPresent
            tags = try body.stringList("tags").value ?? []
            try L7RuleValidation.check(type: type, compareType: compareType, key: key, value: value)
        }

        func rule(project: ProjectID, policy: L7Policy.ID) -> L7Rule {
            L7Rule(projectID: project, l7PolicyID: policy, type: type, compareType: compareType,
                   key: L7RuleValidation.usesKey(type) ? key : nil, value: value, invert: invert,
                   adminStateUp: adminStateUp, provisioningStatus: .pendingCreate, operatingStatus: .offline, tags: tags)
        }
    }

    /// `key`/`value`: ≤255 characters on one line.
    static func line(_ body: BodyReader, _ key: String) throws -> Field<String> {
        try body.string(key).map { text in
            if text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
                throw OctaviaError.invalidInput(key, text, "Value should match the pattern ^[^\\r\\n]*$")
            }
            return text
        }
    }

    func create(_ request: Request, policyID: String) async throws -> Response {
        let policy = try await policy(policyID)
        let body = try await api.body(request, root: "rule", argument: "rule_", allowed: Self.postFields)
        let draft = try RuleDraft(body)
        let project = try api.projectID(body: body, request: request)
        let listener = try await api.live(Listener.self, policy.listenerID.rawValue)
        let rule = draft.rule(project: project, policy: policy.id)
        try await api.store.write { tx in
            let count = try await tx.count(L7Rule.self, ListQuery(filters: [("l7policy_id", .string(policy.id.rawValue))]))
            if count >= L7Policy.maximumRules {
                throw OctaviaError(.conflict, "Too many rules on L7 policy \(policy.id)")
            }
            try await api.quotas.check(.l7Rule, L7Rule.self, project: project, in: tx)
            try await lockPolicy(policy, listener: listener, tx)
            try await tx.insert(rule)
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7rule(rule.id), .create))
        }
        return APIContext.single("rule", render(rule), status: .created)
    }

    func update(_ request: Request, policyID: String, id: String) async throws -> Response {
        let (policy, existing) = try await rule(id, in: policyID)
        let body = try await api.body(request, root: "rule", argument: "rule_", allowed: Self.putFields)
        let type = try body.enumValue("type", L7RuleType.self)
        let compareType = try body.enumValue("compare_type", L7RuleCompareType.self)
        let key = try Self.line(body, "key")
        let value = try Self.line(body, "value")
        let invert = try body.bool("invert")
        let adminStateUp = try body.bool("admin_state_up")
        let tags = try body.stringList("tags")
        // The merged rule is what gets validated (Octavia merges DB and request first).
        var merged = existing
        if let v = type.value { merged.type = v }
        if let v = compareType.value { merged.compareType = v }
        if key.isPresent { merged.key = key.value }
        if let v = value.value { merged.value = v }
        if invert.isPresent { merged.invert = invert.value ?? false }
        if adminStateUp.isPresent { merged.adminStateUp = adminStateUp.value ?? false }
        if tags.isPresent { merged.tags = JSONColumn(tags.value ?? []) }
        if case .null = value { merged.value = "" }
        try L7RuleValidation.check(type: merged.type, compareType: merged.compareType, key: merged.key, value: merged.value)
        if !L7RuleValidation.usesKey(merged.type) { merged.key = nil }
        let candidate = merged
        let listener = try await api.live(Listener.self, policy.listenerID.rawValue)
        let updated = try await api.store.write { tx -> L7Rule in
            try await lockPolicy(policy, listener: listener, tx)
            guard let current = try await tx.fetch(L7Rule.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(L7Rule.resourceName, id)
            }
            var rule = candidate
            rule.createdAt = current.createdAt
            rule.provisioningStatus = .pendingUpdate
            rule.updatedAt = Date()
            try await tx.update(rule)
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7rule(rule.id), .update))
            return rule
        }
        return APIContext.single("rule", render(updated))
    }

    func delete(_ request: Request, policyID: String, id: String) async throws -> Response {
        let (policy, existing) = try await rule(id, in: policyID)
        let listener = try await api.live(Listener.self, policy.listenerID.rawValue)
        try await api.store.write { tx in
            try await lockPolicy(policy, listener: listener, tx)
            try await tx.setStatus(L7Rule.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(listener.loadBalancerID, .l7rule(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    /// The policy must be ACTIVE (`L7Policy <id> is immutable...`); then LB, listener and policy
    /// become PENDING_UPDATE (lifecycle.md).
    func lockPolicy(_ policy: L7Policy, listener: Listener, _ tx: any StoreWriting) async throws {
        guard let current = try await tx.fetch(L7Policy.self, id: policy.id.rawValue), current.provisioningStatus == .active else {
            throw OctaviaError.immutable("L7Policy", policy.id.rawValue)
        }
        try await api.lockLoadBalancer(tx, listener.loadBalancerID)
        try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
        try await tx.setStatus(L7Policy.self, id: policy.id.rawValue, provisioning: .pendingUpdate, operating: nil)
    }

    func render(_ r: L7Rule) -> JSONValue {
        [
            "id": .string(r.id.rawValue),
            "type": .string(r.type.rawValue),
            "compare_type": .string(r.compareType.rawValue),
            "key": .optional(r.key),
            "value": .string(r.value),
            "invert": .bool(r.invert),
            "admin_state_up": .bool(r.adminStateUp),
            "project_id": .string(r.projectID.rawValue),
            "tenant_id": .string(r.projectID.rawValue),
            "provisioning_status": .string(r.provisioningStatus.rawValue),
            "operating_status": .string(r.operatingStatus.rawValue),
            "created_at": Timestamp.json(r.createdAt),
            "updated_at": Timestamp.json(r.updatedAt),
            "tags": .strings(r.tags.value),
        ]
    }
}

extension L7Rule: APIResource {
    static let resourceName = "L7 Rule"
    static let singular = "rule"
    static let plural = "rules"
    static let columns = makeColumns([
        "type": .init(column: "type", kind: .string),
        "compare_type": .init(column: "compare_type", kind: .string),
        "key": .init(column: "key", kind: .string),
        "value": .init(column: "value", kind: .string),
        "invert": .init(column: "invert", kind: .bool),
        // openstacksdk repeats the path's policy as a query filter.
        "l7policy_id": .init(column: "l7policy_id", kind: .string),
    ], excluding: ["name"])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}
