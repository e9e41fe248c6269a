import Foundation
import Hummingbird
import OctaviaCore

extension Quota: APIResource {
    static let statusColumn: String? = nil
    static let resourceName = "Quotas"
    static let singular = "quota"
    static let plural = "quotas"
    /// The project is the key column `id`; both spellings of the renamed limits sort the same column.
    static let columns: [String: ListColumn] = [
        "project_id": .init(column: "id", kind: .string),
        "tenant_id": .init(column: "id", kind: .string),
        "load_balancer": .init(column: "load_balancer", kind: .int),
        "loadbalancer": .init(column: "load_balancer", kind: .int),
        "listener": .init(column: "listener", kind: .int),
        "pool": .init(column: "pool", kind: .int),
        "health_monitor": .init(column: "health_monitor", kind: .int),
        "healthmonitor": .init(column: "health_monitor", kind: .int),
        "member": .init(column: "member", kind: .int),
        "l7policy": .init(column: "l7policy", kind: .int),
        "l7rule": .init(column: "l7rule", kind: .int),
    ]
    var apiID: String { projectID.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
}

/// `/v2/lbaas/quotas`: per-project limits; `null` = the `[quotas]` default, -1 = unlimited.
struct QuotaController {
    let api: APIContext

    /// API name → resource. The deprecated `load_balancer`/`health_monitor` come first so that the
    /// current names win when a body has both (as in Octavia, which applies them in that order).
    static let bodyNames: [(String, QuotaResource)] = [
        ("load_balancer", .loadBalancer), ("loadbalancer", .loadBalancer), ("listener", .listener), ("pool", .pool),
        ("health_monitor", .healthMonitor), ("healthmonitor", .healthMonitor), ("member", .member),
        ("l7policy", .l7Policy), ("l7rule", .l7Rule),
    ]
    static let minimum = -1
    static let maximum = 2_000_000_000

    /// Only projects with a row, limits as stored (unset ones `null`).
    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(Quota.self, request, linksKey: "quotas_links") { render($0.projectID, $0.limits) }
    }

    /// Effective limits: the row's values with unset ones filled from the defaults.
    func show(project: String) async throws -> Response {
        let row = try await api.store.reader.fetch(Quota.self, id: project)
        let limits = (row?.limits ?? QuotaLimits()).filled(from: api.options.quotaDefaults)
        return JSONResponse.make(status: .ok, body: ["quota": render(ProjectID(project), limits)])
    }

    func defaults(project: String) -> Response {
        JSONResponse.make(status: .ok, body: ["quota": render(ProjectID(project), api.options.quotaDefaults)])
    }

    /// 202 with the effective limits.
    func update(_ request: Request, project: String) async throws -> Response {
        let body = try await api.body(request, root: "quota", argument: "quotas", allowed: Set(Self.bodyNames.map(\.0)))
        var changes: [(QuotaResource, Int?)] = []
        for (key, resource) in Self.bodyNames {
            let field = try body.int(key, min: Self.minimum, max: Self.maximum)
            if field.isPresent { changes.append((resource, field.value)) }
        }
        let projectID = ProjectID(project)
        let requested = changes
        let saved = try await api.store.write { tx -> Quota in
            let existing = try await tx.fetch(Quota.self, id: project)
            var row = existing ?? Quota(projectID: projectID)
            var limits = row.limits
            for (resource, value) in requested { limits[resource] = value }
            row.limits = limits
            if existing == nil { try await tx.insert(row) } else { try await tx.update(row) }
            return row
        }
        let effective = saved.limits.filled(from: api.options.quotaDefaults)
        return JSONResponse.make(status: .accepted, body: ["quota": render(projectID, effective)])
    }

    /// Back to the defaults (the row stays, with every limit unset); 404 without a row.
    func reset(project: String) async throws -> Response {
        try await api.store.write { tx in
            guard var row = try await tx.fetch(Quota.self, id: project) else {
                throw OctaviaError.notFound(Quota.resourceName, project)
            }
            row.limits = QuotaLimits()
            try await tx.update(row)
        }
        return Response(status: .accepted)
    }

    func render(_ project: ProjectID, _ limits: QuotaLimits) -> JSONValue {
        var object: [String: JSONValue] = [
            "project_id": .string(project.rawValue), "tenant_id": .string(project.rawValue),
        ]
        for (key, resource) in Self.bodyNames { object[key] = .optional(limits[resource]) }
        return .object(object)
    }
}
