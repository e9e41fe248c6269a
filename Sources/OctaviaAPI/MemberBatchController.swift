import Foundation
import Hummingbird
import OctaviaCore

/// `PUT /pools/{pool_id}/members[?additive_only=true]` (api-v2.md §8): the request lists the
/// members the pool should have, matched by (address, protocol_port). Every change is made in one
/// transaction under the load balancer lock and applied by one job (one render and push).
struct MemberBatchController {
    let api: APIContext

    /// One member of the request, validated like a member POST.
    struct Entry {
        var key: Key
        var body: BodyReader
        var subnetID: String?
    }

    struct Key: Hashable {
        var address: String
        var port: Int
    }

    /// Thrown inside the transaction when the request changes nothing, so the lock is rolled back.
    private struct NoChange: Error {}

    func update(_ request: Request, poolID: String) async throws -> Response {
        let pool = try await api.live(Pool.self, poolID)
        let additiveOnly = ["true", "1", "yes", "on", "t", "y"].contains(
            (request.uri.queryParameters.get("additive_only") ?? "false").lowercased())
        let entries = try await readEntries(request)
        let reserved = Set(api.options.reservedIPs.compactMap { IPAddress($0)?.description })
        var seen = Set<Key>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw OctaviaError.validation("Member must be updated only once in the same request.")
        }
        // Subnets are checked once each, before any write (Octavia validates new members' subnets only,
        // subnet_id being immutable; checking all is equivalent for an existing member's own subnet).
        for subnet in Set(entries.compactMap(\.subnetID)).sorted() where try await api.network.subnet(id: subnet) == nil {
            throw OctaviaError.notFound("Subnet", subnet)
        }
        do {
            try await api.store.write { tx in
                try await api.lockPoolChain(pool, tx)
                let byPool = ListQuery(filters: [("pool_id", .string(pool.id.rawValue))])
                let existing = try await tx.list(Member.self, byPool).filter { $0.provisioningStatus != .deleted }
                let byKey = Dictionary(existing.map { (Key(address: $0.address, port: $0.protocolPort), $0) }) { first, _ in first }
                let wanted = Set(entries.map(\.key))
                let hasMonitor = try await tx.list(HealthMonitor.self, byPool).contains { $0.provisioningStatus != .deleted }
                let removed = additiveOnly ? [] : existing.filter { !wanted.contains(Key(address: $0.address, port: $0.protocolPort)) }
                let added = entries.filter { byKey[$0.key] == nil }.count
                // Quota on the net growth, as Octavia (new members only when additive).
                try await api.quotas.check(.member, Member.self, project: pool.projectID, adding: added - removed.count, in: tx)
                var changed = false
                for entry in entries {
                    if var member = byKey[entry.key] {
                        try Self.apply(entry.body, to: &member)
                        member.provisioningStatus = .pendingUpdate
                        member.updatedAt = Date()
                        try await tx.update(member)
                    } else {
                        if reserved.contains(entry.key.address) {
                            throw OctaviaError(.badRequest, "\(entry.key.address) is not a valid option for member address")
                        }
                        var member = Member(
                            projectID: pool.projectID, poolID: pool.id, provisioningStatus: .pendingCreate,
                            operatingStatus: StatusRules.initialMemberOperatingStatus(poolHasMonitor: hasMonitor),
                            address: entry.key.address, protocolPort: entry.key.port, subnetID: entry.subnetID)
                        try Self.apply(entry.body, to: &member)
                        try await tx.insert(member)
                    }
                    changed = true
                }
                for member in removed {
                    try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: .pendingDelete, operating: nil)
                    changed = true
                }
                guard changed else { throw NoChange() }
                try await tx.enqueue(.batchUpdateMembers(pool.loadBalancerID, pool.id))
            }
        } catch is NoChange {
            api.logger.info("member batch update is a no-op", metadata: ["pool": "\(pool.id)"])
        }
        return Response(status: .accepted)
    }

    /// `{"members": [<member POST>, ...]}`, each item checked as a member POST body.
    func readEntries(_ request: Request) async throws -> [Entry] {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: APIContext.maxBodySize) } catch {
            throw OctaviaError(.payloadTooLarge, "Request entity too large.")
        }
        let data = Data(buffer: buffer)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw OctaviaError(.badRequest, "Missing argument: \"members_\"")
        }
        guard let document = JSONValue.parse(data) else {
            throw OctaviaError(.badRequest, "Request is not in valid JSON format")
        }
        guard case .object(let top) = document else {
            throw OctaviaError.invalidInput("members_", document.pythonDescription, "Value should be a JSON object")
        }
        let unknown = Set(top.keys).subtracting(["members"])
        if !unknown.isEmpty { throw BodyReader.unknown("members_", unknown) }
        guard let list = top["members"], list != .null else {
            throw OctaviaError.invalidInput("members", "None", "Mandatory field missing.")
        }
        guard case .array(let items) = list else { throw BodyReader.wrongType("members", list, expected: "list") }
        return try items.map { item in
            guard case .object(let fields) = item else {
                throw OctaviaError.invalidInput("members", item.pythonDescription, "Value should be a JSON object")
            }
            let unknown = Set(fields.keys).subtracting(MemberController.postFields)
            if !unknown.isEmpty { throw BodyReader.unknown("members_.members", unknown) }
            let body = try BodyReader(object: fields, argument: "members_", root: "members")
            try body.rejectUnsupported(["request_sriov"])
            let address = try body.required("address", body.ipAddress("address"))
            let port = try body.required("protocol_port", body.int("protocol_port", min: 1, max: 65535))
            // Validated here so a bad value fails the request before anything is written.
            _ = try body.string("name")
            _ = try body.bool("admin_state_up")
            _ = try body.int("weight", min: 0, max: 256)
            _ = try body.bool("backup")
            _ = try body.ipAddress("monitor_address")
            _ = try body.int("monitor_port", min: 1, max: 65535)
            _ = try body.stringList("tags")
            _ = try body.projectID()
            return Entry(key: Key(address: address, port: port), body: body, subnetID: try body.uuidString("subnet_id").value)
        }
    }

    /// The supplied updatable fields; omitted ones keep their value (a new member's defaults).
    static func apply(_ body: BodyReader, to member: inout Member) throws {
        let name = try body.string("name")
        if name.isPresent { member.name = name.value }
        let adminStateUp = try body.bool("admin_state_up")
        if adminStateUp.isPresent { member.adminStateUp = adminStateUp.value ?? false }
        let weight = try body.int("weight", min: 0, max: 256)
        if weight.isPresent { member.weight = weight.value ?? 1 }
        let backup = try body.bool("backup")
        if backup.isPresent { member.backup = backup.value ?? false }
        let monitorAddress = try body.ipAddress("monitor_address")
        if monitorAddress.isPresent { member.monitorAddress = monitorAddress.value }
        let monitorPort = try body.int("monitor_port", min: 1, max: 65535)
        if monitorPort.isPresent { member.monitorPort = monitorPort.value }
        let tags = try body.stringList("tags")
        if tags.isPresent { member.tags = JSONColumn(tags.value ?? []) }
    }
}
