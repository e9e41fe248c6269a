import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/pools/{pool_id}/members`.
struct MemberController {
    let api: APIContext

    static let putFields: Set<String> = ["name", "admin_state_up", "weight", "backup", "monitor_address", "monitor_port", "tags"]
    static let postFields = putFields.union(["address", "protocol_port", "subnet_id", "request_sriov", "project_id", "tenant_id"])

    func list(_ request: Request, poolID: String) async throws -> Response {
        let pool = try await api.live(Pool.self, poolID)
        let query = try ListRequest(request, for: Member.self, maxLimit: api.options.paginationMaxLimit, fixed: ["pool_id"])
        let rows = try await query.run(Member.self, on: api.store.reader, extraFilters: [("pool_id", .string(pool.id.rawValue))])
        return try await api.listResponse(rows, list: query, request: request) { render($0) }
    }

    /// A member addressed under a pool it does not belong to is not found.
    func member(_ id: String, in poolID: String) async throws -> (Pool, Member) {
        let pool = try await api.live(Pool.self, poolID)
        let member = try await api.live(Member.self, id)
        guard member.poolID == pool.id else { throw OctaviaError.notFound(Member.resourceName, id) }
        return (pool, member)
    }

    func show(_ request: Request, poolID: String, id: String) async throws -> Response {
        let (_, member) = try await member(id, in: poolID)
        return APIContext.single("member", render(member), fields: APIContext.fields(request))
    }

    func create(_ request: Request, poolID: String) async throws -> Response {
        let pool = try await api.live(Pool.self, poolID)
        let body = try await api.body(request, root: "member", argument: "member_", allowed: Self.postFields)
        if try body.bool("request_sriov").value == true { try await checkSRIOV(pool) }
        let draft = try Draft(body, reservedIPs: api.options.reservedIPs)
        let project = try api.projectID(body: body, request: request)
        try await draft.checkSubnet(api.network)
        let address = draft.address, port = draft.port
        let candidate = draft.member(project: project, pool: pool.id)
        let member = try await api.store.write { tx -> Member in
            try await api.quotas.check(.member, Member.self, project: candidate.projectID, in: tx)
            try await api.lockPoolChain(pool, tx)
            let byPool = ListQuery(filters: [("pool_id", .string(pool.id.rawValue))])
            let clash = try await tx.list(Member.self, ListQuery(filters: byPool.filters + [
                ("address", .string(address)), ("protocol_port", .int(port)),
            ])).contains { $0.provisioningStatus != .deleted }
            if clash {
                throw OctaviaError(.conflict,
                    "Another member on this pool is already using ip \(address) on protocol_port \(port)")
            }
            let hasMonitor = try await tx.list(HealthMonitor.self, byPool).contains { $0.provisioningStatus != .deleted }
            var created = candidate
            created.operatingStatus = StatusRules.initialMemberOperatingStatus(poolHasMonitor: hasMonitor)
            try await tx.insert(created)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .member(created.id), .create))
            return created
        }
        return APIContext.single("member", render(member), status: .created)
    }

    /// A POSTed member's own fields; shared with the fully-populated LB create.
    struct Draft {
        var address: String, port: Int, name: String?, adminStateUp: Bool, weight: Int, backup: Bool
        var subnetID: String?, monitorAddress: String?, monitorPort: Int?, tags: [String]

        init(_ body: BodyReader, reservedIPs: [String]) throws {
            address = try body.required("address", body.ipAddress("address"))
            port = try body.required("protocol_port", body.int("protocol_port", min: 1, max: 65535))
            name = try body.string("name").value
            let admin = try body.bool("admin_state_up")
            adminStateUp = admin.value ?? !admin.isPresent
            weight = try body.int("weight", min: 0, max: 256).value ?? 1
            backup = try body.bool("backup").value ?? false
            subnetID = try body.uuidString("subnet_id").value
            monitorAddress = try body.ipAddress("monitor_address").value
            monitorPort = try body.int("monitor_port", min: 1, max: 65535).value
            tags = try body.stringList("tags").value ?? []
            let reserved = Set(reservedIPs.compactMap { IPAddress($0)?.description })
            if reserved.contains(address) {
                throw OctaviaError(.badRequest, "\(address) is not a valid option for member address")
            }
        }

        /// A named subnet must exist.
        func checkSubnet(_ network: any NetworkDriver) async throws {
            if let subnetID, try await network.subnet(id: subnetID) == nil {
                throw OctaviaError(.badRequest, "Subnet \(subnetID) not found.")
            }
        }

        /// The PENDING_CREATE row; the operating status is set once the pool's monitor is known.
        func member(project: ProjectID, pool: Pool.ID) -> Member {
            Member(projectID: project, poolID: pool, name: name, adminStateUp: adminStateUp,
                   provisioningStatus: .pendingCreate, address: address, protocolPort: port, weight: weight, backup: backup,
                   subnetID: subnetID, monitorAddress: monitorAddress, monitorPort: monitorPort, tags: tags)
        }
    }

    /// `request_sriov=true` needs the load balancer's flavor to set `allow_member_sriov`
    /// (Octavia's MemberSRIOVDisabled); local amphorae have no SR-IOV even then.
    func checkSRIOV(_ pool: Pool) async throws {
        let reader = api.store.reader
        var allowed = false
        if let lb = try await reader.fetch(LoadBalancer.self, id: pool.loadBalancerID.rawValue), let flavorID = lb.flavorID,
           let flavor = try await reader.fetch(Flavor.self, id: flavorID),
           let profile = try await reader.fetch(FlavorProfile.self, id: flavor.flavorProfileID),
           case .object(let data) = try ProviderDriverCatalog.parse(profile.flavorData, option: "flavor_data") {
            allowed = data["allow_member_sriov"] == .bool(true)
        }
        guard allowed else { throw OctaviaError(.badRequest, "The load balancer flavor does not allow SR-IOV member ports.") }
        throw OctaviaError.validation("request_sriov is not supported by this deployment yet.")
    }

    func update(_ request: Request, poolID: String, id: String) async throws -> Response {
        let (pool, existing) = try await member(id, in: poolID)
        let body = try await api.body(request, root: "member", argument: "member_", allowed: Self.putFields)
        let name = try body.string("name")
        let adminStateUp = try body.bool("admin_state_up")
        let weight = try body.int("weight", min: 0, max: 256)
        let backup = try body.bool("backup")
        let monitorAddress = try body.ipAddress("monitor_address")
        let monitorPort = try body.int("monitor_port", min: 1, max: 65535)
        let tags = try body.stringList("tags")
        let updated = try await api.store.write { tx -> Member in
            try await api.lockPoolChain(pool, tx)
            guard var member = try await tx.fetch(Member.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(Member.resourceName, id)
            }
            if name.isPresent { member.name = name.value }
            if adminStateUp.isPresent { member.adminStateUp = adminStateUp.value ?? false }
            if weight.isPresent { member.weight = weight.value ?? 1 }
            if backup.isPresent { member.backup = backup.value ?? false }
            if monitorAddress.isPresent { member.monitorAddress = monitorAddress.value }
            if monitorPort.isPresent { member.monitorPort = monitorPort.value }
            if tags.isPresent { member.tags = JSONColumn(tags.value ?? []) }
            member.provisioningStatus = .pendingUpdate
            member.updatedAt = Date()
            try await tx.update(member)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .member(member.id), .update))
            return member
        }
        return APIContext.single("member", render(updated))
    }

    func delete(_ request: Request, poolID: String, id: String) async throws -> Response {
        let (pool, existing) = try await member(id, in: poolID)
        try await api.store.write { tx in
            try await api.lockPoolChain(pool, tx)
            try await tx.setStatus(Member.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .member(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    func render(_ m: Member) -> JSONValue {
        [
            "id": .string(m.id.rawValue),
            "name": .text(m.name),
            "admin_state_up": .bool(m.adminStateUp),
            "project_id": .string(m.projectID.rawValue),
            "tenant_id": .string(m.projectID.rawValue),
            "provisioning_status": .string(m.provisioningStatus.rawValue),
            "operating_status": .string(m.operatingStatus.rawValue),
            "created_at": Timestamp.json(m.createdAt),
            "updated_at": Timestamp.json(m.updatedAt),
            "address": .string(m.address),
            "protocol_port": .int(m.protocolPort),
            "weight": .int(m.weight),
            "backup": .bool(m.backup),
            "subnet_id": .optional(m.subnetID),
            "monitor_address": .optional(m.monitorAddress),
            "monitor_port": .optional(m.monitorPort),
            "tags": .strings(m.tags.value),
            "vnic_type": "normal",
        ]
    }
}
