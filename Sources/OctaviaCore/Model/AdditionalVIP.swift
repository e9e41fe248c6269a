/// One extra VIP address of a load balancer, on another subnet of the primary VIP's network
/// (Octavia's `additional_vip` table, API v2.26).
public struct AdditionalVIP: Codable, Sendable, Equatable {
    public typealias ID = Identifier<AdditionalVIP>

    public var id: ID
    public var loadBalancerID: LoadBalancer.ID
    public var subnetID: String
    public var networkID: String?
    public var portID: String?
    /// nil until a network driver reserves one (the noop network hands back what was asked).
    public var ipAddress: String?

    public init(id: ID = .generate(), loadBalancerID: LoadBalancer.ID, subnetID: String, networkID: String? = nil,
                portID: String? = nil, ipAddress: String? = nil) {
        self.id = id; self.loadBalancerID = loadBalancerID; self.subnetID = subnetID; self.networkID = networkID
        self.portID = portID; self.ipAddress = ipAddress
    }

    enum CodingKeys: String, CodingKey {
        case id
        case loadBalancerID = "load_balancer_id", subnetID = "subnet_id", networkID = "network_id"
        case portID = "port_id", ipAddress = "ip_address"
    }
}

extension AdditionalVIP: StoredObject {
    public static let table = "additional_vip"
    public var storageID: String { id.rawValue }
}
