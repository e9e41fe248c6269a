import OctaviaCore

/// `additional_vips` and `vip_sg_ids` of a load balancer: read from a request, checked as
/// Octavia's `_validate_subnets_share_network_but_no_duplicates` does, stored in their own
/// tables and rendered back.
struct LoadBalancerVIPExtras: Sendable {
    /// `(subnet_id, ip_address)` as requested; the address may be absent.
    var additionalVIPs: [(subnetID: String, ipAddress: String?)]
    var securityGroupIDs: [String]

    static let additionalVIPKeys: Set<String> = ["subnet_id", "ip_address"]

    /// Reads both fields (POST shape; PUT only takes `vip_sg_ids`).
    init(_ body: BodyReader) throws {
        additionalVIPs = []
        if let items = try body.raw("additional_vips").map({ value -> [JSONValue] in
            guard case .array(let items) = value else { throw BodyReader.wrongType("additional_vips", value, expected: "list") }
            return items
        }).value {
            for item in items {
                guard case .object(let dict) = item else { throw BodyReader.wrongType("additional_vips", item, expected: "dict") }
                let unknown = Set(dict.keys).subtracting(Self.additionalVIPKeys)
                if !unknown.isEmpty { throw BodyReader.unknown("\(body.argument).\(body.root).additional_vips", unknown) }
                let inner = try BodyReader(object: dict, argument: body.argument, root: body.root)
                let subnet = try inner.required("subnet_id", inner.uuidString("subnet_id"))
                additionalVIPs.append((subnet, try inner.ipAddress("ip_address").value))
            }
        }
        securityGroupIDs = try Self.securityGroups(body).value ?? []
    }

    /// `vip_sg_ids`: a list of UUIDs; `null` means none.
    static func securityGroups(_ body: BodyReader) throws -> Field<[String]> {
        try body.stringList("vip_sg_ids").map { ids in
            for id in ids where Identifier<VIPSecurityGroup>(id) == nil {
                throw OctaviaError.invalidInput("vip_sg_ids", id, "Value should be UUID format")
            }
            return ids
        }
    }

    var isEmpty: Bool { additionalVIPs.isEmpty && securityGroupIDs.isEmpty }

    /// Octavia's checks: no subnet twice (the primary's included), every subnet known and on the
    /// primary's network; an address given must lie in its subnet (Neutron's own refusal).
    /// Returns the rows to store; the port is the primary VIP's, as Octavia puts every address on it.
    func resolve(for lb: LoadBalancer, network: any NetworkDriver) async throws -> [AdditionalVIP] {
        guard !additionalVIPs.isEmpty else { return [] }
        var seen: Set<String> = [lb.vipSubnetID ?? ""]
        for requested in additionalVIPs {
            guard seen.insert(requested.subnetID).inserted else {
                throw OctaviaError.validation("Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.")
            }
        }
        var rows: [AdditionalVIP] = []
        var networks: Set<String> = [lb.vipNetworkID ?? ""]
        for requested in additionalVIPs {
            guard let subnet = try await network.subnet(id: requested.subnetID) else {
                throw OctaviaError.validation("Subnet \(requested.subnetID) not found")
            }
            networks.insert(subnet.networkID)
            rows.append(AdditionalVIP(loadBalancerID: lb.id, subnetID: subnet.id, networkID: subnet.networkID,
                                      portID: lb.vipPortID, ipAddress: requested.ipAddress))
        }
        if networks.count > 1 { throw OctaviaError.validation("All VIP subnets must belong to the same network.") }
        for (row, requested) in zip(rows, additionalVIPs) {
            guard let text = requested.ipAddress, let address = IPAddress(text) else { continue }
            let subnet = try await network.subnet(id: row.subnetID)
            guard let cidr = subnet.flatMap({ CIDR($0.cidr) }), cidr.contains(address) else {
                throw OctaviaError(.badRequest, "IP address \(text) is not a valid IP for the specified subnet.")
            }
        }
        return rows
    }

    /// The `vip_security_group` rows for `ids`.
    static func securityGroupRows(_ ids: [String], for lb: LoadBalancer.ID) -> [VIPSecurityGroup] {
        ids.map { VIPSecurityGroup(loadBalancerID: lb, securityGroupID: $0) }
    }

    /// Replaces the load balancer's security groups (PUT; `null` clears them).
    static func replaceSecurityGroups(_ ids: [String], of lb: LoadBalancer.ID, _ tx: any StoreWriting) async throws {
        for row in try await tx.list(VIPSecurityGroup.self, byLoadBalancer(lb)) {
            try await tx.delete(VIPSecurityGroup.self, id: row.id.rawValue)
        }
        for row in securityGroupRows(ids, for: lb) { try await tx.insert(row) }
    }

    static func byLoadBalancer(_ lb: LoadBalancer.ID) -> ListQuery {
        ListQuery(filters: [("load_balancer_id", .string(lb.rawValue))], sort: [("id", .asc)])
    }

    /// Every VIP address of `lb` (primary first) and whether it has custom security groups:
    /// what a listener's `allowed_cidrs` are checked against.
    static func vipContext(of lb: LoadBalancer, on reader: any StoreReading) async throws -> (addresses: [String], hasGroups: Bool) {
        let extra = try await reader.list(AdditionalVIP.self, byLoadBalancer(lb.id)).compactMap(\.ipAddress)
        let groups = try await reader.count(VIPSecurityGroup.self, byLoadBalancer(lb.id))
        return ((lb.vipAddress.map { [$0] } ?? []) + extra.sorted(), groups > 0)
    }

    /// `additional_vips` items and `vip_sg_ids` as the API shows them.
    typealias Rendered = (vips: [JSONValue], groups: [String])

    /// Two queries for any number of load balancers (a list page passes all of its own).
    static func renderAll(_ ids: [LoadBalancer.ID], on reader: any StoreReading) async throws -> [LoadBalancer.ID: Rendered] {
        guard !ids.isEmpty else { return [:] }
        let filters: [(column: String, value: StoredValue)] = [("load_balancer_id", .in(ids.map { .string($0.rawValue) }))]
        var out: [LoadBalancer.ID: Rendered] = [:]
        for vip in try await reader.list(AdditionalVIP.self, ListQuery(filters: filters, sort: [("subnet_id", .asc)])) {
            out[vip.loadBalancerID, default: ([], [])].vips.append(
                ["subnet_id": .string(vip.subnetID), "ip_address": .optional(vip.ipAddress), "port_id": .optional(vip.portID)])
        }
        for group in try await reader.list(VIPSecurityGroup.self, ListQuery(filters: filters, sort: [("sg_id", .asc)])) {
            out[group.loadBalancerID, default: ([], [])].groups.append(group.securityGroupID)
        }
        return out
    }
}
