import Foundation

/// A load balancer: one VIP, its listeners, pools and the amphorae that carry it.
public struct LoadBalancer: Codable, Sendable, Equatable {
    public typealias ID = Identifier<LoadBalancer>

    public var id: ID
    public var projectID: ProjectID
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var vipAddress: String?
    public var vipNetworkID: String?
    public var vipSubnetID: String?
    public var vipPortID: String?
    public var vipQosPolicyID: String?
    public var provider: String
    public var flavorID: String?
    public var availabilityZone: String?
    public var topology: Topology
    public var tags: JSONColumn<[String]>
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, name: String? = nil, description: String? = nil,
        adminStateUp: Bool = true, provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline, vipAddress: String? = nil, vipNetworkID: String? = nil,
        vipSubnetID: String? = nil, vipPortID: String? = nil, vipQosPolicyID: String? = nil,
        provider: String = "amphora", flavorID: String? = nil, availabilityZone: String? = nil,
        topology: Topology = .single, tags: [String] = [], createdAt: Date = Date(), updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.name = name; self.description = description
        self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.vipAddress = vipAddress; self.vipNetworkID = vipNetworkID
        self.vipSubnetID = vipSubnetID; self.vipPortID = vipPortID; self.vipQosPolicyID = vipQosPolicyID
        self.provider = provider; self.flavorID = flavorID; self.availabilityZone = availabilityZone
        self.topology = topology; self.tags = JSONColumn(tags); self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, provider, topology, tags
        case projectID = "project_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case vipAddress = "vip_address", vipNetworkID = "vip_network_id", vipSubnetID = "vip_subnet_id"
        case vipPortID = "vip_port_id", vipQosPolicyID = "vip_qos_policy_id"
        case flavorID = "flavor_id", availabilityZone = "availability_zone"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}
