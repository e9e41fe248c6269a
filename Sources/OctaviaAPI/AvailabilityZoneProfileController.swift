import Foundation
import Hummingbird
import OctaviaCore

extension AvailabilityZoneProfile: APIResource {
    static let statusColumn: String? = nil
    static let resourceName = "Availability Zone Profile"
    static let singular = "availability_zone_profile"
    static let plural = "availability_zone_profiles"
    static let columns: [String: ListColumn] = [
        "id": .init(column: "id", kind: .string),
        "name": .init(column: "name", kind: .string),
        "provider_name": .init(column: "provider_name", kind: .string),
        "availability_zone_data": .init(column: "availability_zone_data", kind: .string),
    ]
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
}

/// `/v2/lbaas/availabilityzoneprofiles`: `availability_zone_data` is a JSON string checked by the provider driver.
struct AvailabilityZoneProfileController {
    let api: APIContext

    static let fields: Set<String> = ["name", "provider_name", "availability_zone_data"]
    /// The name in delete/update messages.
    static let messageName = "Availability Zone Profile"

    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(AvailabilityZoneProfile.self, request, linksKey: "availability_zone_profile_links", render: render)
    }

    func show(_ request: Request, id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
        return APIContext.single("availability_zone_profile", render(try await fetch(id)), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "availability_zone_profile", argument: "availability_zone_profile_", allowed: Self.fields)
        let name = try body.required("name", body.string("name"))
        let provider = try body.required("provider_name", body.string("provider_name"))
        let data = try body.required("availability_zone_data", body.string("availability_zone_data", max: 4096))
        try validate(data, provider: provider)
        let profile = AvailabilityZoneProfile(name: name, providerName: provider, availabilityZoneData: data)
        try await api.store.write { tx in try await tx.insert(profile) }
        return APIContext.single("availability_zone_profile", render(profile), status: .created)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let body = try await api.body(request, root: "availability_zone_profile", argument: "availability_zone_profile_", allowed: Self.fields)
        let name = try body.string("name")
        let provider = try body.string("provider_name")
        let data = try body.string("availability_zone_data", max: 4096)
        for (key, field) in [("name", name), ("provider_name", provider), ("availability_zone_data", data)] {
            if case .null = field { throw OctaviaError(.badRequest, "None is not a valid option for \(key)") }
        }
        let updated = try await api.store.write { tx -> AvailabilityZoneProfile in
            if provider.isPresent || data.isPresent, try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Self.messageName) \(id) is in use and cannot be modified.")
            }
            if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
            var profile = try await fetch(id, on: tx)
            if let name = name.value { profile.name = name }
            if let provider = provider.value { profile.providerName = provider }
            if let data = data.value { profile.availabilityZoneData = data }
            if provider.isPresent || data.isPresent { try validate(profile.availabilityZoneData, provider: profile.providerName) }
            try await tx.update(profile)
            return profile
        }
        return APIContext.single("availability_zone_profile", render(updated))
    }

    func delete(id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Self.messageName, id) }
        try await api.store.write { tx in
            if try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Self.messageName) \(id) is in use and cannot be modified.")
            }
            guard let uuid = AvailabilityZoneProfile.ID(id), try await tx.fetch(AvailabilityZoneProfile.self, id: uuid) != nil else {
                throw OctaviaError.notFound(Self.messageName, id)
            }
            try await tx.delete(AvailabilityZoneProfile.self, id: uuid.rawValue)
        }
        return Response(status: .noContent)
    }

    /// JSON parse (400), provider enabled (400) and known (501), provider schema (501).
    func validate(_ data: String, provider: String) throws {
        let parsed = try ProviderDriverCatalog.parse(data, option: "availability_zone_data")
        try api.providers.validate(parsed, provider: provider, against: \.availabilityZone)
    }

    /// Availability zones that point at the profile.
    func usedBy(_ id: String, _ reader: any StoreReading) async throws -> Int {
        guard let uuid = AvailabilityZoneProfile.ID(id) else { return 0 }
        return try await reader.count(AvailabilityZone.self, ListQuery(filters: [("availability_zone_profile_id", .string(uuid.rawValue))]))
    }

    func fetch(_ id: String, on reader: (any StoreReading)? = nil) async throws -> AvailabilityZoneProfile {
        guard let uuid = AvailabilityZoneProfile.ID(id),
              let profile = try await (reader ?? api.store.reader).fetch(AvailabilityZoneProfile.self, id: uuid)
        else { throw OctaviaError.notFound(AvailabilityZoneProfile.resourceName, id) }
        return profile
    }

    func render(_ profile: AvailabilityZoneProfile) -> JSONValue {
        [
            "id": .string(profile.id.rawValue),
            "name": .string(profile.name),
            "provider_name": .string(profile.providerName),
            "availability_zone_data": .string(profile.availabilityZoneData),
        ]
    }
}
