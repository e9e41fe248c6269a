import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/loadbalancers`.
struct LoadBalancerController {
    let api: APIContext

    static let postFields: Set<String> = [
        "name", "description", "admin_state_up", "project_id", "tenant_id", "vip_address", "vip_port_id",
        "vip_subnet_id", "vip_network_id", "vip_qos_policy_id", "vip_sg_ids", "additional_vips", "listeners",
        "pools", "provider", "flavor_id", "availability_zone", "tags",
    ]
    static let putFields: Set<String> = ["name", "description", "admin_state_up", "vip_qos_policy_id", "vip_sg_ids", "tags"]

    func list(_ request: Request) async throws -> Response {
        let query = try ListRequest(request, for: LoadBalancer.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(LoadBalancer.self, on: api.store.reader)
        // Two queries for the whole page instead of two per load balancer.
        let ids = StoredValue.in(rows.map { .string($0.id.rawValue) })
        let live = ("provisioning_status", StoredValue.not(.string(ProvisioningStatus.deleted.rawValue)))
        let order: [(column: String, direction: SortDirection)] = [("created_at", .asc), ("id", .asc)]
        let listeners = Dictionary(grouping: try await api.store.reader.list(
            Listener.self, ListQuery(filters: [("load_balancer_id", ids), live], sort: order)), by: \.loadBalancerID)
        let pools = Dictionary(grouping: try await api.store.reader.list(
            Pool.self, ListQuery(filters: [("load_balancer_id", ids), live], sort: order)), by: \.loadBalancerID)
        let extras = try await LoadBalancerVIPExtras.renderAll(rows.map(\.id), on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) {
            try await render($0, listeners: listeners[$0.id] ?? [], pools: pools[$0.id] ?? [], extras: extras[$0.id] ?? ([], []))
        }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let lb = try await api.live(LoadBalancer.self, id)
        return APIContext.single("loadbalancer", try await render(lb), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "loadbalancer", argument: "load_balancer", allowed: Self.postFields)
        let name = try body.string("name").value
        let description = try body.string("description").value
        let adminStateUp = try body.bool("admin_state_up")
        let vipAddress = try body.ipAddress("vip_address").value
        let vipPortID = try body.uuidString("vip_port_id").value
        let vipSubnetID = try body.uuidString("vip_subnet_id").value
        let vipNetworkID = try body.uuidString("vip_network_id").value
        let qos = try body.uuidString("vip_qos_policy_id").value
        let requestedProvider = try body.string("provider", max: 64).value
        let flavorID = try body.uuid("flavor_id", Flavor.ID.self).value
        let zoneName = try body.string("availability_zone").value
        let tags = try body.stringList("tags").value ?? []
        let extras = try LoadBalancerVIPExtras(body)
        let project = try api.projectID(body: body, request: request)

        try validateVIPKinds(port: vipPortID, network: vipNetworkID, subnet: vipSubnetID)
        if qos != nil { throw OctaviaError(.badRequest, "VIP QoS policy is not allowed in this deployment.") }
        let placement = try await LoadBalancerPlacement.resolve(
            flavorID: flavorID, zone: zoneName, provider: requestedProvider, api: api, on: api.store.reader)
        let provider = placement.provider

        var lb = LoadBalancer(
            projectID: project, name: name, description: description,
            adminStateUp: adminStateUp.value ?? !adminStateUp.isPresent,
            provisioningStatus: .pendingCreate, operatingStatus: .offline, vipAddress: vipAddress,
            vipNetworkID: vipNetworkID, vipSubnetID: vipSubnetID, vipPortID: vipPortID, provider: provider,
            flavorID: flavorID?.rawValue, availabilityZone: zoneName, topology: placement.topology, tags: tags)
        let vip = try await api.network.allocateVIP(for: lb)
        lb.vipAddress = vip.address
        lb.vipNetworkID = vip.networkID
        lb.vipSubnetID = vip.subnetID
        lb.vipPortID = vip.portID
        let created = lb
        let graph = LoadBalancerGraphCreate(api: api)
        let plan: LoadBalancerGraphCreate.Plan
        do {
            let additionalVIPs = try await extras.resolve(for: created, network: api.network)
            plan = try await graph.plan(listeners: body.raw("listeners"), pools: body.raw("pools"), for: created)
            try await api.store.write { tx in
                // Again under the write lock: the flavor or zone may have gone since the first look.
                _ = try await LoadBalancerPlacement.resolve(
                    flavorID: flavorID, zone: zoneName, provider: requestedProvider, api: api, on: tx)
                try await api.quotas.check(.loadBalancer, LoadBalancer.self, project: created.projectID, in: tx)
                // The provider's refusal comes last, as Octavia calls the driver after every API check.
                try Self.checkAdditionalVIPs(additionalVIPs, provider: provider)
                try await tx.insert(created)
                for row in additionalVIPs { try await tx.insert(row) }
                for row in LoadBalancerVIPExtras.securityGroupRows(extras.securityGroupIDs, for: created.id) {
                    try await tx.insert(row)
                }
                try await graph.insert(plan, project: created.projectID, tx)
                try await tx.enqueue(.createLoadBalancer(created.id))
            }
        } catch {
            do { try await api.network.deallocateVIP(for: created) } catch {
                api.logger.error("could not release VIP after failed create", metadata: ["lb": "\(created.id)", "error": "\(error)"])
            }
            throw error
        }
        if !plan.isEmpty {
            return APIContext.single("loadbalancer", try await graph.render(created, plan: plan), status: .created)
        }
        return APIContext.single("loadbalancer", try await render(created), status: .created)
    }

    /// Local amphorae bring up one VIP address only (docs/compatibility.md).
    static func checkAdditionalVIPs(_ vips: [AdditionalVIP], provider: String) throws {
        if !vips.isEmpty && ProviderDriverCatalog.isAmphora(provider) {
            throw OctaviaError(.notImplemented,
                "Provider 'amphora' does not support a requested option: additional_vips are not supported by local amphorae.")
        }
    }

    /// `[networking] allow_vip_*` and "at least one of port/network/subnet".
    func validateVIPKinds(port: String?, network: String?, subnet: String?) throws {
        let options = api.options
        for (value, allowed, name) in [
            (port, options.allowVIPPortID, "vip_port_id"), (network, options.allowVIPNetworkID, "vip_network_id"),
            (subnet, options.allowVIPSubnetID, "vip_subnet_id"),
        ] where value != nil && !allowed {
            throw OctaviaError.validation("use of \(name) is disallowed by this deployment's configuration.")
        }
        if port == nil && network == nil && subnet == nil {
            var kinds: [String] = []
            if options.allowVIPPortID { kinds.append("vip_port_id") }
            if options.allowVIPNetworkID { kinds.append("vip_network_id") }
            if options.allowVIPSubnetID { kinds.append("vip_subnet_id") }
            throw OctaviaError.validation("VIP must contain one of: \(kinds.joined(separator: ", ")).")
        }
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(LoadBalancer.self, id)
        let body = try await api.body(request, root: "loadbalancer", argument: "load_balancer", allowed: Self.putFields)
        // Octavia checks the QoS extension whenever the field is present, even for `null`.
        if body.raw("vip_qos_policy_id").isPresent {
            _ = try body.uuidString("vip_qos_policy_id")
            throw OctaviaError(.badRequest, "VIP QoS policy is not allowed in this deployment.")
        }
        let securityGroups = try LoadBalancerVIPExtras.securityGroups(body)
        let name = try body.string("name")
        let description = try body.string("description")
        let adminStateUp = try body.bool("admin_state_up")
        let tags = try body.stringList("tags")
        let lbID = existing.id
        let updated = try await api.store.write { tx -> LoadBalancer in
            guard var lb = try await tx.fetch(LoadBalancer.self, id: lbID), lb.provisioningStatus != .deleted else {
                throw OctaviaError.notFound(LoadBalancer.resourceName, id)
            }
            guard try await tx.testAndSetStatus(lbID, expected: ProvisioningStatus.mutable, new: .pendingUpdate) else {
                throw OctaviaError.pendingState(lb.provisioningStatus, lbID)
            }
            if name.isPresent { lb.name = name.value }
            if description.isPresent { lb.description = description.value }
            if adminStateUp.isPresent { lb.adminStateUp = adminStateUp.value ?? false }
            if tags.isPresent { lb.tags = JSONColumn(tags.value ?? []) }
            if securityGroups.isPresent {
                try await LoadBalancerVIPExtras.replaceSecurityGroups(securityGroups.value ?? [], of: lbID, tx)
            }
            lb.provisioningStatus = .pendingUpdate
            lb.updatedAt = Date()
            try await tx.update(lb)
            try await tx.enqueue(.updateLoadBalancer(lbID))
            return lb
        }
        return APIContext.single("loadbalancer", try await render(updated))
    }

    func delete(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(LoadBalancer.self, id)
        let cascadeText = request.uri.queryParameters.get("cascade") ?? "false"
        let cascade = ["true", "1", "yes", "on", "t", "y"].contains(cascadeText.lowercased())
        let lbID = existing.id
        try await api.store.write { tx in
            guard let lb = try await tx.fetch(LoadBalancer.self, id: lbID), lb.provisioningStatus != .deleted else {
                throw OctaviaError.notFound(LoadBalancer.resourceName, id)
            }
            let byLB = ListQuery(filters: [("load_balancer_id", .string(lbID.rawValue))])
            if !cascade {
                let listeners = try await tx.list(Listener.self, byLB).filter { $0.provisioningStatus != .deleted }
                let pools = try await tx.list(Pool.self, byLB).filter { $0.provisioningStatus != .deleted }
                if !listeners.isEmpty || !pools.isEmpty {
                    throw OctaviaError.validation("Cannot delete Load Balancer \(lbID) - it has children")
                }
            }
            guard try await tx.testAndSetStatus(lbID, expected: ProvisioningStatus.deletable, new: .pendingDelete) else {
                throw OctaviaError.pendingState(lb.provisioningStatus, lbID)
            }
            try await tx.enqueue(.deleteLoadBalancer(lbID, cascade: cascade))
        }
        return Response(status: .noContent)
    }

    /// The API view of a load balancer; `listeners`/`pools` are read when not given (lists pass them in bulk).
    func render(_ lb: LoadBalancer, listeners given: [Listener]? = nil, pools givenPools: [Pool]? = nil,
                extras givenExtras: LoadBalancerVIPExtras.Rendered? = nil) async throws -> JSONValue {
        let reader = api.store.reader
        let byLB = ListQuery(filters: [("load_balancer_id", .string(lb.id.rawValue))], sort: [("created_at", .asc), ("id", .asc)])
        var listeners = given ?? []
        if given == nil { listeners = try await reader.list(Listener.self, byLB).filter { $0.provisioningStatus != .deleted } }
        var pools = givenPools ?? []
        if givenPools == nil { pools = try await reader.list(Pool.self, byLB).filter { $0.provisioningStatus != .deleted } }
        var extras = givenExtras ?? ([], [])
        if givenExtras == nil { extras = try await LoadBalancerVIPExtras.renderAll([lb.id], on: reader)[lb.id] ?? ([], []) }
        return [
            "id": .string(lb.id.rawValue),
            "name": .text(lb.name),
            "description": .text(lb.description),
            "admin_state_up": .bool(lb.adminStateUp),
            "project_id": .string(lb.projectID.rawValue),
            "tenant_id": .string(lb.projectID.rawValue),
            "provisioning_status": .string(lb.provisioningStatus.rawValue),
            "operating_status": .string(lb.operatingStatus.rawValue),
            "created_at": Timestamp.json(lb.createdAt),
            "updated_at": Timestamp.json(lb.updatedAt),
            "vip_address": .optional(lb.vipAddress),
            "vip_port_id": .optional(lb.vipPortID),
            "vip_subnet_id": .optional(lb.vipSubnetID),
            "vip_network_id": .optional(lb.vipNetworkID),
            "vip_qos_policy_id": .optional(lb.vipQosPolicyID),
            "vip_sg_ids": .strings(extras.groups),
            "vip_vnic_type": "normal",
            "additional_vips": .array(extras.vips),
            "listeners": .idList(listeners.map(\.id.rawValue)),
            "pools": .idList(pools.map(\.id.rawValue)),
            "provider": .string(lb.provider.isEmpty ? "octavia" : lb.provider),
            "flavor_id": .optional(lb.flavorID),
            "availability_zone": .optional(lb.availabilityZone),
            "tags": .strings(lb.tags.value),
        ]
    }
}
