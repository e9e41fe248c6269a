import Foundation
import Hummingbird
import OctaviaCore

extension FlavorProfile: APIResource {
    static let statusColumn: String? = nil
    static let resourceName = "Flavor Profile"
    static let singular = "flavorprofile"
    static let plural = "flavorprofiles"
    static let columns: [String: ListColumn] = [
        "id": .init(column: "id", kind: .string),
        "name": .init(column: "name", kind: .string),
        "provider_name": .init(column: "provider_name", kind: .string),
        "flavor_data": .init(column: "flavor_data", kind: .string),
    ]
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
}

/// `/v2/lbaas/flavorprofiles`: `flavor_data` is a JSON string checked by the provider driver.
struct FlavorProfileController {
    let api: APIContext

    static let fields: Set<String> = ["name", "provider_name", "flavor_data"]
    /// Octavia's spelling in delete/update messages (GET says `Flavor Profile`).
    static let messageName = "Flavor profile"

    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(FlavorProfile.self, request, linksKey: "flavorprofile_links", render: render)
    }

    func show(_ request: Request, id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
        return APIContext.single("flavorprofile", render(try await fetch(id)), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "flavorprofile", argument: "flavor_profile_", allowed: Self.fields)
        let name = try body.required("name", body.string("name"))
        let provider = try body.required("provider_name", body.string("provider_name"))
        let data = try body.required("flavor_data", body.string("flavor_data", max: 4096))
        try validate(data, provider: provider)
        let profile = FlavorProfile(name: name, providerName: provider, flavorData: data)
        try await api.store.write { tx in try await tx.insert(profile) }
        return APIContext.single("flavorprofile", render(profile), status: .created)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let body = try await api.body(request, root: "flavorprofile", argument: "flavor_profile_", allowed: Self.fields)
        let name = try body.string("name")
        let provider = try body.string("provider_name")
        let data = try body.string("flavor_data", max: 4096)
        for (key, field) in [("name", name), ("provider_name", provider), ("flavor_data", data)] {
            if case .null = field { throw OctaviaError(.badRequest, "None is not a valid option for \(key)") }
        }
        let updated = try await api.store.write { tx -> FlavorProfile in
            if provider.isPresent || data.isPresent, try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Self.messageName) \(id) is in use and cannot be modified.")
            }
            if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
            var profile = try await fetch(id, on: tx)
            if let name = name.value { profile.name = name }
            if let provider = provider.value { profile.providerName = provider }
            if let data = data.value { profile.flavorData = data }
            if provider.isPresent || data.isPresent { try validate(profile.flavorData, provider: profile.providerName) }
            try await tx.update(profile)
            return profile
        }
        return APIContext.single("flavorprofile", render(updated))
    }

    func delete(id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
        try await api.store.write { tx in
            if try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Self.messageName) \(id) is in use and cannot be modified.")
            }
            guard let uuid = FlavorProfile.ID(id), try await tx.fetch(FlavorProfile.self, id: uuid) != nil else {
                throw OctaviaError.notFound(Self.messageName, id)
            }
            try await tx.delete(FlavorProfile.self, id: uuid.rawValue)
        }
        return Response(status: .noContent)
    }

    /// JSON parse (400), provider enabled (400) and known (501), provider schema (501).
    func validate(_ data: String, provider: String) throws {
        let parsed = try ProviderDriverCatalog.parse(data, option: "flavor_data")
        try api.providers.validate(parsed, provider: provider, against: \.flavor)
    }

    /// Flavors that point at the profile.
    func usedBy(_ id: String, _ reader: any StoreReading) async throws -> Int {
        guard let uuid = FlavorProfile.ID(id) else { return 0 }
        return try await reader.count(Flavor.self, ListQuery(filters: [("flavor_profile_id", .string(uuid.rawValue))]))
    }

    func fetch(_ id: String, on reader: (any StoreReading)? = nil) async throws -> FlavorProfile {
        guard let uuid = FlavorProfile.ID(id),
              let profile = try await (reader ?? api.store.reader).fetch(FlavorProfile.self, id: uuid)
        else { throw OctaviaError.notFound(FlavorProfile.resourceName, id) }
        return profile
    }

    func render(_ profile: FlavorProfile) -> JSONValue {
        [
            "id": .string(profile.id.rawValue),
            "name": .string(profile.name),
            "provider_name": .string(profile.providerName),
            "flavor_data": .string(profile.flavorData),
        ]
    }
}
