import Foundation

/// A machine carrying a load balancer's traffic. Locally: a network namespace running
/// the amphora agent and HAProxy.
public struct Amphora: Codable, Sendable, Equatable {
    public typealias ID = Identifier<Amphora>

    public var id: ID
    public var loadBalancerID: LoadBalancer.ID?
    /// Compute driver's handle (the namespace name for local amphorae).
    public var computeID: String?
    /// Where the controller reaches the agent: an address, or a Unix socket path for local amphorae.
    public var lbNetworkIP: String?
    public var vrrpIP: String?
    public var haIP: String?
    public var vrrpPortID: String?
    public var haPortID: String?
    public var role: AmphoraRole?
    public var status: AmphoraStatus
    public var certExpiration: Date?
    public var vrrpInterface: String?
    public var imageID: String?
    public var computeFlavor: String?
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), loadBalancerID: LoadBalancer.ID?, computeID: String? = nil, lbNetworkIP: String? = nil,
        vrrpIP: String? = nil, haIP: String? = nil, vrrpPortID: String? = nil, haPortID: String? = nil,
        role: AmphoraRole? = nil, status: AmphoraStatus = .pendingCreate, certExpiration: Date? = nil,
        vrrpInterface: String? = nil, imageID: String? = nil, computeFlavor: String? = nil,
        createdAt: Date = Date(), updatedAt: Date? = nil
    ) {
        self.id = id; self.loadBalancerID = loadBalancerID; self.computeID = computeID; self.lbNetworkIP = lbNetworkIP
        self.vrrpIP = vrrpIP; self.haIP = haIP; self.vrrpPortID = vrrpPortID; self.haPortID = haPortID
        self.role = role; self.status = status; self.certExpiration = certExpiration
        self.vrrpInterface = vrrpInterface; self.imageID = imageID; self.computeFlavor = computeFlavor
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, role, status
        case loadBalancerID = "load_balancer_id", computeID = "compute_id", lbNetworkIP = "lb_network_ip"
        case vrrpIP = "vrrp_ip", haIP = "ha_ip", vrrpPortID = "vrrp_port_id", haPortID = "ha_port_id"
        case certExpiration = "cert_expiration", vrrpInterface = "vrrp_interface", imageID = "image_id"
        case computeFlavor = "compute_flavor", createdAt = "created_at", updatedAt = "updated_at"
    }
}
