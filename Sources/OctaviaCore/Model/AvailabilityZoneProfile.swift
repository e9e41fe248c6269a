import Foundation

/// Provider-specific placement settings an availability zone points at (`availability_zone_data`
/// is the provider's JSON object, kept as sent).
public struct AvailabilityZoneProfile: Codable, Sendable, Equatable {
    public typealias ID = Identifier<AvailabilityZoneProfile>

    public var id: ID
    public var name: String
    public var providerName: String
    public var availabilityZoneData: String
    public var createdAt: Date

    public init(id: ID = .generate(), name: String, providerName: String, availabilityZoneData: String,
                createdAt: Date = Date()) {
        self.id = id; self.name = name; self.providerName = providerName
        self.availabilityZoneData = availabilityZoneData; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case providerName = "provider_name", availabilityZoneData = "availability_zone_data", createdAt = "created_at"
    }
}

extension AvailabilityZoneProfile: StoredObject {
    public static let table = "availability_zone_profile"
    public var storageID: String { id.rawValue }
}
