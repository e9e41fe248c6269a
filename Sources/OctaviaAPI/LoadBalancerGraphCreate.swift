import Foundation
import OctaviaCore

/// The fully-populated load balancer create (Octavia's `_graph_create`, api-v2.md §5): the
/// listeners and pools of a POST, with everything under them, checked by the same per-object
/// validation as their own controllers before anything is written.
struct LoadBalancerGraphCreate {
    let api: APIContext

    /// Every row the request creates, all PENDING_CREATE, in insert order.
    struct Plan {
        var pools: [Pool] = [], monitors: [HealthMonitor] = [], members: [Member] = []
        var listeners: [Listener] = [], policies: [L7Policy] = [], rules: [L7Rule] = []
        var isEmpty: Bool { pools.isEmpty && listeners.isEmpty }
    }

    static let argument = "load_balancer"
    static let root = "loadbalancer"
    /// Single-create types have no parent ids and no project (it is the load balancer's).
    static let listenerFields = ListenerController.postFields
        .subtracting(["loadbalancer_id", "project_id", "tenant_id"])
    static let poolFields = PoolController.postFields.subtracting(["loadbalancer_id", "listener_id", "project_id", "tenant_id"])
    static let monitorFields = HealthMonitorController.putFields.union(["type"])
    static let memberFields = MemberController.putFields.union(["address", "protocol_port", "subnet_id", "request_sriov"])
    static let policyFields = L7PolicyController.putFields.subtracting(["redirect_pool_id"]).union(["redirect_pool", "rules"])

    /// Validates the whole graph for `lb` (whose VIP is allocated) and returns the rows to insert.
    func plan(listeners listenerValue: Field<JSONValue>, pools poolValue: Field<JSONValue>, for lb: LoadBalancer)
        async throws -> Plan
    {
        let listenerObjects = try Self.objects(listenerValue, "listeners")
        var poolObjects = try Self.objects(poolValue, "pools")
        // Pools embedded in listeners and policies join the top-level list; name-only ones are references.
        var referenced: [String] = []
        for listener in listenerObjects {
            try Self.checkKeys(listener, Self.listenerFields.union(["default_pool", "l7policies"]), "listeners")
            if let pool = try Self.embeddedPool(listener["default_pool"]) {
                if pool.isFull { poolObjects.append(pool.object) } else { referenced.append(pool.name) }
            }
            for policy in try Self.objects(Self.field(listener["l7policies"]), "l7policies") {
                if let pool = try Self.embeddedPool(policy["redirect_pool"]) {
                    if pool.isFull { poolObjects.append(pool.object) } else { referenced.append(pool.name) }
                }
            }
        }
        let names = poolObjects.map { $0["name"].flatMap(Self.string) }
        if Set(names).count != names.count {
            throw OctaviaError.validation("Pool names must be unique when creating a fully populated loadbalancer.")
        }
        for name in referenced where !names.contains(name) {
            throw OctaviaError.validation("Pool '\(name)' was referenced but no full definition was found.")
        }

        var plan = Plan()
        var poolIDs: [String: Pool] = [:]
        for object in poolObjects {
            let pool = try await addPool(object, lb: lb, to: &plan)
            if let name = pool.name { poolIDs[name] = pool }
        }
        for object in listenerObjects {
            try await addListener(object, lb: lb, pools: poolIDs, to: &plan)
        }
        return plan
    }

    private func addPool(_ object: [String: JSONValue], lb: LoadBalancer, to plan: inout Plan) async throws -> Pool {
        try Self.checkKeys(object, Self.poolFields, "pools")
        let name = object["name"].flatMap(Self.string) ?? "None"
        for attribute in ["protocol", "lb_algorithm"] where object[attribute] == nil {
            throw OctaviaError.validation("Pool definition for '\(name)' missing required attribute: \(attribute)")
        }
        let body = try Self.reader(object)
        try body.rejectUnsupported(PoolController.unsupported.filter { $0 != "healthmonitor" && $0 != "members" })
        let draft = try PoolController.Draft(body)
        var pool = draft.pool(project: lb.projectID, loadBalancer: lb.id)
        try await PoolTLSValidation(options: api.options.tls).apply(draft.tls, to: &pool, creating: true)
        try PoolController.checkAlgorithm(pool.lbAlgorithm, provider: lb.provider)
        plan.pools.append(pool)

        var hasMonitor = false
        if case .value(let value) = Self.field(object["healthmonitor"]) {
            guard case .object(let monitor) = value else { throw BodyReader.wrongType("healthmonitor", value, expected: "dict") }
            try Self.checkKeys(monitor, Self.monitorFields, "pools.healthmonitor")
            plan.monitors.append(try HealthMonitorController.Draft(Self.reader(monitor)).monitor(project: lb.projectID, pool: pool))
            hasMonitor = true
        }
        var seen: Set<String> = []
        for object in try Self.objects(Self.field(object["members"]), "members") {
            try Self.checkKeys(object, Self.memberFields, "pools.members")
            let body = try Self.reader(object)
            try body.rejectUnsupported(["request_sriov"])
            let draft = try MemberController.Draft(body, reservedIPs: api.options.reservedIPs)
            try await draft.checkSubnet(api.network)
            guard seen.insert("\(draft.address) \(draft.port)").inserted else {
                throw OctaviaError(.conflict,
                    "Another member on this pool is already using ip \(draft.address) on protocol_port \(draft.port)")
            }
            var member = draft.member(project: lb.projectID, pool: pool.id)
            member.operatingStatus = StatusRules.initialMemberOperatingStatus(poolHasMonitor: hasMonitor)
            plan.members.append(member)
        }
        return pool
    }

    private func addListener(_ source: [String: JSONValue], lb: LoadBalancer, pools: [String: Pool], to plan: inout Plan) async throws {
        var object = source
        object["default_pool"] = nil
        object["l7policies"] = nil
        // A default pool given by id cannot be on a load balancer that does not exist yet.
        if case .value(let value) = Self.field(source["default_pool_id"]) {
            throw OctaviaError.notFound(Pool.resourceName, Self.string(value) ?? value.pythonDescription)
        }
        var defaultPool: Pool?
        if let ref = try Self.embeddedPool(source["default_pool"]) {
            defaultPool = pools[ref.name]
            object["default_pool_id"] = defaultPool.map { .string($0.id.rawValue) }
        }
        let draft = try ListenerController.Draft(Self.reader(object))
        try ListenerController(api: api).validate(draft.fields, protocol: draft.proto, loadBalancer: lb)
        if let defaultPool { try ListenerController.checkPoolAttach(listener: draft.proto, pool: defaultPool.protocol) }
        var listener = draft.listener(project: lb.projectID, loadBalancer: lb.id, defaults: api.options.listenerDefaults)
        try await ListenerTLSValidation(options: api.options.tls).apply(draft.tls, to: &listener, creating: true)
        if plan.listeners.contains(where: { $0.protocolPort == listener.protocolPort }) {
            throw OctaviaError(.conflict,
                "Another Listener on this Load Balancer is already using protocol \(listener.protocol.rawValue) and protocol_port \(listener.protocolPort)")
        }
        plan.listeners.append(listener)

        let policyObjects = try Self.objects(Self.field(source["l7policies"]), "l7policies")
        if !policyObjects.isEmpty { try L7PolicyController.checkProtocol(listener, provider: lb.provider) }
        var ordered: [L7Policy] = []
        for source in policyObjects {
            try Self.checkKeys(source, Self.policyFields, "listeners.l7policies")
            var object = source
            object["redirect_pool"] = nil
            object["rules"] = nil
            var redirectPool: Pool?
            if let ref = try Self.embeddedPool(source["redirect_pool"]) {
                redirectPool = pools[ref.name]
                object["redirect_pool_id"] = redirectPool.map { .string($0.id.rawValue) }
            }
            let body = try Self.reader(object)
            let fields = try L7PolicyFields(body)
            let action = try body.required("action", fields.action)
            let redirect = try fields.sanitized(action: action)
            if let redirectPool { try ListenerController.checkCompatible(listener: listener.protocol, pool: redirectPool.protocol) }
            let ruleObjects = try Self.objects(Self.field(source["rules"]), "rules")
            let drafts = try ruleObjects.map { rule -> L7RuleController.RuleDraft in
                try Self.checkKeys(rule, L7RuleController.singleCreateFields, "listeners.l7policies.rules")
                return try L7RuleController.RuleDraft(BodyReader(object: rule, argument: "rule_", root: "rule"))
            }
            if drafts.count > L7Policy.maximumRules { throw OctaviaError(.conflict, "Too many rules on L7 policy") }
            let position = fields.position.value ?? L7Policy.positionRange.upperBound
            let policy = L7Policy(
                projectID: lb.projectID, listenerID: listener.id, name: fields.name.value,
                description: fields.description.value,
                adminStateUp: fields.adminStateUp.value ?? !fields.adminStateUp.isPresent,
                provisioningStatus: .pendingCreate, operatingStatus: .offline, action: redirect.action,
                redirectPoolID: redirect.poolID, redirectURL: redirect.url, redirectPrefix: redirect.prefix,
                redirectHTTPCode: redirect.httpCode, position: position, tags: fields.tags.value ?? [])
            // As L7PolicyController.place: 1-based, past the end appends, then 1...n.
            ordered.insert(policy, at: min(position - 1, ordered.count))
            plan.rules += drafts.map { $0.rule(project: lb.projectID, policy: policy.id) }
        }
        for index in ordered.indices { ordered[index].position = index + 1 }
        plan.policies += ordered
    }

    /// Quotas for the whole set, then every row (the caller inserts the load balancer and the job).
    func insert(_ plan: Plan, project: ProjectID, _ tx: any StoreWriting) async throws {
        try await api.quotas.check(.pool, Pool.self, project: project, adding: plan.pools.count, in: tx)
        try await api.quotas.check(.listener, Listener.self, project: project, adding: plan.listeners.count, in: tx)
        try await api.quotas.check(.healthMonitor, HealthMonitor.self, project: project, adding: plan.monitors.count, in: tx)
        try await api.quotas.check(.member, Member.self, project: project, adding: plan.members.count, in: tx)
        try await api.quotas.check(.l7Policy, L7Policy.self, project: project, adding: plan.policies.count, in: tx)
        try await api.quotas.check(.l7Rule, L7Rule.self, project: project, adding: plan.rules.count, in: tx)
        for pool in plan.pools { try await tx.insert(pool) }
        for monitor in plan.monitors { try await tx.insert(monitor) }
        for member in plan.members { try await tx.insert(member) }
        for listener in plan.listeners { try await tx.insert(listener) }
        for policy in plan.policies { try await tx.insert(policy) }
        for rule in plan.rules { try await tx.insert(rule) }
    }

    /// The full graph response: listeners with full policies and rules, pools with full members and monitor.
    func render(_ lb: LoadBalancer, plan: Plan) async throws -> JSONValue {
        var listeners: [JSONValue] = []
        for listener in plan.listeners {
            var policies: [JSONValue] = []
            for policy in plan.policies.filter({ $0.listenerID == listener.id }).sorted(by: { $0.position < $1.position }) {
                let rules = plan.rules.filter { $0.l7PolicyID == policy.id }.map(L7RuleController(api: api).render)
                policies.append(Self.setting(try await L7PolicyController(api: api).render(policy), "rules", .array(rules)))
            }
            listeners.append(Self.setting(try await ListenerController(api: api).render(listener), "l7policies", .array(policies)))
        }
        var pools: [JSONValue] = []
        for pool in plan.pools {
            let members = plan.members.filter { $0.poolID == pool.id }.map(MemberController(api: api).render)
            let monitor = plan.monitors.first { $0.poolID == pool.id }.map(HealthMonitorController(api: api).render) ?? .null
            var rendered = Self.setting(try await PoolController(api: api).render(pool), "members", .array(members))
            rendered = Self.setting(rendered, "healthmonitor", monitor)
            pools.append(rendered)
        }
        let base = try await LoadBalancerController(api: api).render(lb, listeners: plan.listeners, pools: plan.pools)
        return Self.setting(Self.setting(base, "listeners", .array(listeners)), "pools", .array(pools))
    }

    // MARK: - Reading the nested JSON

    /// An embedded pool: its name, and whether it is a full definition or a reference by name.
    struct EmbeddedPool {
        var name: String
        var object: [String: JSONValue]
        var isFull: Bool { object.keys.contains { $0 != "name" } }
    }

    static func embeddedPool(_ value: JSONValue?) throws -> EmbeddedPool? {
        guard let value, value != .null else { return nil }
        guard case .object(let object) = value else { throw BodyReader.wrongType("default_pool", value, expected: "dict") }
        guard case .string(let name)? = object["name"], !name.isEmpty else {
            throw OctaviaError.validation("Pools must be named when creating a fully populated loadbalancer.")
        }
        return EmbeddedPool(name: name, object: object)
    }

    static func string(_ value: JSONValue) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }

    static func field(_ value: JSONValue?) -> Field<JSONValue> {
        guard let value else { return .absent }
        return value == .null ? .null : .value(value)
    }

    /// A list of objects (absent or null: none).
    static func objects(_ field: Field<JSONValue>, _ key: String) throws -> [[String: JSONValue]] {
        guard case .value(let value) = field else { return [] }
        guard case .array(let items) = value else { throw BodyReader.wrongType(key, value, expected: "list") }
        return try items.map { item in
            guard case .object(let object) = item else { throw BodyReader.wrongType(key, item, expected: "dict") }
            return object
        }
    }

    /// WSME's unknown-attribute check for a nested type.
    static func checkKeys(_ object: [String: JSONValue], _ allowed: Set<String>, _ path: String) throws {
        let unknown = Set(object.keys).subtracting(allowed)
        if !unknown.isEmpty { throw BodyReader.unknown("\(argument).\(root).\(path)", unknown) }
    }

    static func reader(_ object: [String: JSONValue]) throws -> BodyReader {
        try BodyReader(object: object, argument: argument, root: root)
    }

    static func setting(_ value: JSONValue, _ key: String, _ new: JSONValue) -> JSONValue {
        guard case .object(var dict) = value else { return value }
        dict[key] = new
        return .object(dict)
    }
}
