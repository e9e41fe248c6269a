/// A network as the network driver (Neutron or local bridges) knows it.
public struct Network: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var subnetIDs: [String]
    public var projectID: String?

    public init(id: String, name: String, subnetIDs: [String], projectID: String? = nil) {
        self.id = id; self.name = name; self.subnetIDs = subnetIDs; self.projectID = projectID
    }
}

public struct Subnet: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var networkID: String
    /// e.g. `10.0.0.0/24`.
    public var cidr: String
    public var gatewayIP: String?
    public var ipVersion: Int
    public var projectID: String?

    public init(id: String, name: String, networkID: String, cidr: String, gatewayIP: String?, ipVersion: Int = 4,
                projectID: String? = nil) {
        self.id = id; self.name = name; self.networkID = networkID; self.cidr = cidr
        self.gatewayIP = gatewayIP; self.ipVersion = ipVersion; self.projectID = projectID
    }
}

/// An address reservation on a subnet (a Neutron port). Not `Port`: Foundation has one.
public struct NetworkPort: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var networkID: String
    public var subnetID: String
    public var ipAddress: String
    public var macAddress: String
    /// What holds the port: an amphora id, or `lb-<id>` for a VIP.
    public var deviceID: String

    public init(id: String, name: String, networkID: String, subnetID: String, ipAddress: String, macAddress: String,
                deviceID: String) {
        self.id = id; self.name = name; self.networkID = networkID; self.subnetID = subnetID
        self.ipAddress = ipAddress; self.macAddress = macAddress; self.deviceID = deviceID
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case networkID = "network_id", subnetID = "subnet_id", ipAddress = "ip_address"
        case macAddress = "mac_address", deviceID = "device_id"
    }
}

/// Where a load balancer's VIP lives, resolved by the network driver.
public struct VIP: Sendable, Equatable, Codable {
    public var address: String
    public var networkID: String
    public var subnetID: String
    public var portID: String

    public init(address: String, networkID: String, subnetID: String, portID: String) {
        self.address = address; self.networkID = networkID; self.subnetID = subnetID; self.portID = portID
    }
}

/// What an amphora's agent needs to bring up the VIP interface (agent `plug/vip`).
public struct VIPPlug: Sendable, Equatable {
    public var vip: String
    public var subnetCIDR: String
    public var gateway: String?
    public var macAddress: String
    public var vrrpIP: String
    public var mtu: Int

    public init(vip: String, subnetCIDR: String, gateway: String?, macAddress: String, vrrpIP: String, mtu: Int = 1500) {
        self.vip = vip; self.subnetCIDR = subnetCIDR; self.gateway = gateway; self.macAddress = macAddress
        self.vrrpIP = vrrpIP; self.mtu = mtu
    }
}

/// What an amphora's agent needs to bring up a member-network interface (agent `plug/network`).
public struct NetworkPlug: Sendable, Equatable {
    public var macAddress: String
    public var ipAddress: String
    public var subnetCIDR: String
    public var gateway: String?
    public var mtu: Int

    public init(macAddress: String, ipAddress: String, subnetCIDR: String, gateway: String?, mtu: Int = 1500) {
        self.macAddress = macAddress; self.ipAddress = ipAddress; self.subnetCIDR = subnetCIDR
        self.gateway = gateway; self.mtu = mtu
    }
}
