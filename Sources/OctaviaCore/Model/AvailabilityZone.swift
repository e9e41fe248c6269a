import Foundation

/// An availability zone users can place load balancers in. Octavia keys it by **name** (no id);
/// the name is stored in the table's key column `id` so the generic store can fetch it.
public struct AvailabilityZone: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    public var enabled: Bool
    public var availabilityZoneProfileID: AvailabilityZoneProfile.ID
    public var createdAt: Date

    public init(name: String, description: String? = nil, enabled: Bool = true,
                availabilityZoneProfileID: AvailabilityZoneProfile.ID, createdAt: Date = Date()) {
        self.name = name; self.description = description; self.enabled = enabled
        self.availabilityZoneProfileID = availabilityZoneProfileID; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name = "id", description, enabled
        case availabilityZoneProfileID = "availability_zone_profile_id", createdAt = "created_at"
    }
}

extension AvailabilityZone: StoredObject {
    public static let table = "availability_zone"
    public var storageID: String { name }
}
