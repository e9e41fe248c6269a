import Foundation
import Hummingbird
import OctaviaCore

/// The admin amphora API `/v2/octavia/amphorae` (api-v2.md §18). Failover is in ``FailoverController``
/// and stats in ``StatsController``.
struct AmphoraController {
    let api: APIContext

    func list(_ request: Request) async throws -> Response {
        var query = try ListRequest(request, for: Amphora.self, maxLimit: api.options.paginationMaxLimit)
        // `project_id` is the load balancer's project (amphorae have none of their own).
        if let index = query.filters.firstIndex(where: { $0.column == Self.projectColumn }) {
            let project = query.filters.remove(at: index).value
            let lbs = try await api.store.reader.list(LoadBalancer.self, ListQuery(filters: [("project_id", project)]))
            query.filters.append(("load_balancer_id", .in(lbs.map { .string($0.id.rawValue) })))
        }
        let rows = try await query.run(Amphora.self, on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) { render($0) }
    }

    /// A pseudo-column: the list filter is rewritten to the load balancers of that project.
    static let projectColumn = "project_id"

    func show(_ request: Request, id: String) async throws -> Response {
        let amphora = try await api.live(Amphora.self, id)
        return APIContext.single("amphora", render(amphora), fields: APIContext.fields(request))
    }

    /// `PUT /{id}/config` (202). Octavia regenerates the agent's own configuration file and pushes it;
    /// our agents get theirs when they are built and have no configuration route, so there is nothing
    /// to push: the amphora is checked and the request accepted.
    func config(_ request: Request, id: String) async throws -> Response {
        let amphora = try await api.live(Amphora.self, id)
        api.logger.info("amphora agent configuration is fixed at build; nothing to push", metadata: ["amphora": "\(amphora.id)"])
        return Response(status: .accepted)
    }

    /// `DELETE /{id}` (204): only an ERROR amphora (else 409); it becomes PENDING_DELETE and the
    /// worker removes its instance and ports.
    func delete(_ request: Request, id: String) async throws -> Response {
        let amphora = try await api.live(Amphora.self, id)
        try await api.store.write { tx in
            guard var row = try await tx.fetch(Amphora.self, id: amphora.id), row.status != .deleted else {
                throw OctaviaError.notFound(Amphora.resourceName, id)
            }
            guard row.status == .error else { throw OctaviaError.immutable("amphora", amphora.id.rawValue) }
            guard let lbID = row.loadBalancerID else {
                // Jobs are keyed by load balancer; every amphora we build has one.
                throw OctaviaError.immutable("amphora", amphora.id.rawValue)
            }
            row.status = .pendingDelete
            row.updatedAt = Date()
            try await tx.update(row)
            try await tx.enqueue(.deleteAmphora(lbID, row.id))
        }
        return Response(status: .noContent)
    }

    func render(_ a: Amphora) -> JSONValue {
        [
            "id": .string(a.id.rawValue),
            "loadbalancer_id": .optional(a.loadBalancerID?.rawValue),
            "compute_id": .optional(a.computeID),
            "lb_network_ip": .optional(a.lbNetworkIP),
            "vrrp_ip": .optional(a.vrrpIP),
            "ha_ip": .optional(a.haIP),
            "vrrp_port_id": .optional(a.vrrpPortID),
            "ha_port_id": .optional(a.haPortID),
            "cert_expiration": Timestamp.json(a.certExpiration),
            "cert_busy": false,
            "role": .optional(a.role?.rawValue),
            "status": .string(a.status.rawValue),
            "vrrp_interface": .optional(a.vrrpInterface),
            "vrrp_id": nil,
            "vrrp_priority": nil,
            "cached_zone": nil,
            "created_at": Timestamp.json(a.createdAt),
            "updated_at": Timestamp.json(a.updatedAt),
            "image_id": .optional(a.imageID),
            "compute_flavor": .optional(a.computeFlavor),
        ]
    }
}

extension Amphora: APIResource {
    static let resourceName = "Amphora"
    static let singular = "amphora"
    static let plural = "amphorae"
    static let statusColumn: String? = "status"
    static let columns: [String: ListColumn] = [
        "id": .init(column: "id", kind: .string),
        "loadbalancer_id": .init(column: "load_balancer_id", kind: .string),
        "compute_id": .init(column: "compute_id", kind: .string),
        "lb_network_ip": .init(column: "lb_network_ip", kind: .string),
        "vrrp_ip": .init(column: "vrrp_ip", kind: .string),
        "ha_ip": .init(column: "ha_ip", kind: .string),
        "vrrp_port_id": .init(column: "vrrp_port_id", kind: .string),
        "ha_port_id": .init(column: "ha_port_id", kind: .string),
        "role": .init(column: "role", kind: .string),
        "status": .init(column: "status", kind: .string),
        "vrrp_interface": .init(column: "vrrp_interface", kind: .string),
        "image_id": .init(column: "image_id", kind: .string),
        "compute_flavor": .init(column: "compute_flavor", kind: .string),
        "project_id": .init(column: AmphoraController.projectColumn, kind: .string),
        "cert_expiration": .init(column: "cert_expiration", kind: .sortOnly),
        "created_at": .init(column: "created_at", kind: .sortOnly),
        "updated_at": .init(column: "updated_at", kind: .sortOnly),
    ]
    var apiID: String { id.rawValue }
    /// Amphorae have their own status enum; only DELETED matters to the generic list/show code (hidden).
    var apiStatus: ProvisioningStatus { status == .deleted ? .deleted : .active }
    var apiTags: [String] { [] }
}
