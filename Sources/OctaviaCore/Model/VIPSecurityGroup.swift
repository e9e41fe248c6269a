/// A security group the user asked to put on a load balancer's VIP port instead of Octavia's own
/// (Octavia's `vip_security_group` table, API v2.29).
public struct VIPSecurityGroup: Codable, Sendable, Equatable {
    public typealias ID = Identifier<VIPSecurityGroup>

    public var id: ID
    public var loadBalancerID: LoadBalancer.ID
    public var securityGroupID: String

    public init(id: ID = .generate(), loadBalancerID: LoadBalancer.ID, securityGroupID: String) {
        self.id = id; self.loadBalancerID = loadBalancerID; self.securityGroupID = securityGroupID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case loadBalancerID = "load_balancer_id", securityGroupID = "sg_id"
    }
}

extension VIPSecurityGroup: StoredObject {
    public static let table = "vip_security_group"
    public var storageID: String { id.rawValue }
}
