import Foundation

/// Provider-specific settings a flavor points at (`flavor_data` is the provider's JSON object,
/// kept as the text the operator sent, as Octavia does).
public struct FlavorProfile: Codable, Sendable, Equatable {
    public typealias ID = Identifier<FlavorProfile>

    public var id: ID
    public var name: String
    public var providerName: String
    public var flavorData: String
    public var createdAt: Date

    public init(id: ID = .generate(), name: String, providerName: String, flavorData: String, createdAt: Date = Date()) {
        self.id = id; self.name = name; self.providerName = providerName; self.flavorData = flavorData
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case providerName = "provider_name", flavorData = "flavor_data", createdAt = "created_at"
    }
}

extension FlavorProfile: StoredObject {
    public static let table = "flavor_profile"
    public var storageID: String { id.rawValue }
}
