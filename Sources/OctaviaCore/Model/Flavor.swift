import Foundation

/// An operator-defined load balancer "size": a name users pick, backed by a ``FlavorProfile``.
public struct Flavor: Codable, Sendable, Equatable {
    public typealias ID = Identifier<Flavor>

    /// `00000000-0000-0000-0000-000000000000`: reserved by Octavia, never a real flavor.
    public static let nilID = "00000000-0000-0000-0000-000000000000"

    public var id: ID
    public var name: String
    public var description: String?
    public var enabled: Bool
    public var flavorProfileID: FlavorProfile.ID
    public var createdAt: Date

    public init(id: ID = .generate(), name: String, description: String? = nil, enabled: Bool = true,
                flavorProfileID: FlavorProfile.ID, createdAt: Date = Date()) {
        self.id = id; self.name = name; self.description = description; self.enabled = enabled
        self.flavorProfileID = flavorProfileID; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, enabled
        case flavorProfileID = "flavor_profile_id", createdAt = "created_at"
    }
}

extension Flavor: StoredObject {
    public static let table = "flavor"
    public var storageID: String { id.rawValue }
}
