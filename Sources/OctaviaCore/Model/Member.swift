import Foundation

public struct Member: Codable, Sendable, Equatable {
    public typealias ID = Identifier<Member>

    public var id: ID
    public var projectID: ProjectID
    public var poolID: Pool.ID
    public var name: String?
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var address: String
    public var protocolPort: Int
    /// 0 drains the member: no new connections.
    public var weight: Int
    public var backup: Bool
    public var subnetID: String?
    public var monitorAddress: String?
    public var monitorPort: Int?
    public var tags: JSONColumn<[String]>
    public var createdAt: Date
    public var updatedAt: Date?

    public init(
        id: ID = .generate(), projectID: ProjectID, poolID: Pool.ID, name: String? = nil, adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate, operatingStatus: OperatingStatus = .noMonitor,
        address: String, protocolPort: Int, weight: Int = 1, backup: Bool = false, subnetID: String? = nil,
        monitorAddress: String? = nil, monitorPort: Int? = nil, tags: [String] = [], createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id; self.projectID = projectID; self.poolID = poolID; self.name = name
        self.adminStateUp = adminStateUp; self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus; self.address = address; self.protocolPort = protocolPort
        self.weight = weight; self.backup = backup; self.subnetID = subnetID; self.monitorAddress = monitorAddress
        self.monitorPort = monitorPort; self.tags = JSONColumn(tags); self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, address, weight, backup, tags
        case projectID = "project_id", poolID = "pool_id", adminStateUp = "admin_state_up"
        case provisioningStatus = "provisioning_status", operatingStatus = "operating_status"
        case protocolPort = "protocol_port", subnetID = "subnet_id"
        case monitorAddress = "monitor_address", monitorPort = "monitor_port"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}
