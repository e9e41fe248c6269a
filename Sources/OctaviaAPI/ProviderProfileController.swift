import Foundation
import Hummingbird
import OctaviaCore

/// What differs between flavor profiles and availability-zone profiles: names, the data field
/// and its capability list, and which objects count as users of a profile.
protocol ProviderProfile: APIResource {
    var id: Identifier<Self> { get }
    var name: String { get set }
    var providerName: String { get set }
    /// The provider-specific JSON text (`flavor_data`, `availability_zone_data`).
    var data: String { get set }
    init(name: String, providerName: String, data: String)

    static var dataField: String { get }
    /// WSME's argument name in unknown-attribute messages.
    static var bodyArgument: String { get }
    static var linksKey: String { get }
    /// Octavia's spelling in update/delete messages.
    static var messageName: String { get }
    static var capabilities: KeyPath<ProviderDriverCatalog.Driver, [ProviderDriverCatalog.Capability]> { get }
    /// How many flavors / availability zones point at the profile.
    static func users(of id: Identifier<Self>, _ reader: any StoreReading) async throws -> Int
}

/// `/v2/lbaas/flavorprofiles` and `/v2/lbaas/availabilityzoneprofiles`: one implementation, the
/// data is a JSON string checked by the provider driver.
struct ProviderProfileController<Profile: ProviderProfile> {
    let api: APIContext

    static var fields: Set<String> { ["name", "provider_name", Profile.dataField] }

    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(Profile.self, request, linksKey: Profile.linksKey, render: render)
    }

    func show(_ request: Request, id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Profile.messageName, id) }
        return APIContext.single(Profile.singular, render(try await fetch(id)), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: Profile.singular, argument: Profile.bodyArgument, allowed: Self.fields)
        let name = try body.required("name", body.string("name"))
        let provider = try body.required("provider_name", body.string("provider_name"))
        let data = try body.required(Profile.dataField, body.string(Profile.dataField, max: 4096))
        try validate(data, provider: provider)
        let profile = Profile(name: name, providerName: provider, data: data)
        try await api.store.write { tx in try await tx.insert(profile) }
        return APIContext.single(Profile.singular, render(profile), status: .created)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let body = try await api.body(request, root: Profile.singular, argument: Profile.bodyArgument, allowed: Self.fields)
        let name = try body.string("name")
        let provider = try body.string("provider_name")
        let data = try body.string(Profile.dataField, max: 4096)
        for (key, field) in [("name", name), ("provider_name", provider), (Profile.dataField, data)] {
            if case .null = field { throw OctaviaError(.badRequest, "None is not a valid option for \(key)") }
        }
        let updated = try await api.store.write { tx -> Profile in
            if provider.isPresent || data.isPresent, try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Profile.messageName) \(id) is in use and cannot be modified.")
            }
            if id == Flavor.nilID { throw OctaviaError.notFound(Profile.messageName, id) }
            var profile = try await fetch(id, on: tx)
            if let name = name.value { profile.name = name }
            if let provider = provider.value { profile.providerName = provider }
            if let data = data.value { profile.data = data }
            if provider.isPresent || data.isPresent { try validate(profile.data, provider: profile.providerName) }
            try await tx.update(profile)
            return profile
        }
        return APIContext.single(Profile.singular, render(updated))
    }

    func delete(id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Profile.messageName, id) }
        try await api.store.write { tx in
            if try await usedBy(id, tx) > 0 {
                throw OctaviaError(.conflict, "\(Profile.messageName) \(id) is in use and cannot be modified.")
            }
            guard let uuid = Identifier<Profile>(id), try await tx.fetch(Profile.self, id: uuid) != nil else {
                throw OctaviaError.notFound(Profile.messageName, id)
            }
            try await tx.delete(Profile.self, id: uuid.rawValue)
        }
        return Response(status: .noContent)
    }

    /// JSON parse (400), provider enabled (400) and known (501), provider schema (501).
    func validate(_ data: String, provider: String) throws {
        let parsed = try ProviderDriverCatalog.parse(data, option: Profile.dataField)
        try api.providers.validate(parsed, provider: provider, against: Profile.capabilities)
    }

    func usedBy(_ id: String, _ reader: any StoreReading) async throws -> Int {
        guard let uuid = Identifier<Profile>(id) else { return 0 }
        return try await Profile.users(of: uuid, reader)
    }

    func fetch(_ id: String, on reader: (any StoreReading)? = nil) async throws -> Profile {
        guard let uuid = Identifier<Profile>(id), let profile = try await (reader ?? api.store.reader).fetch(Profile.self, id: uuid)
        else { throw OctaviaError.notFound(Profile.resourceName, id) }
        return profile
    }

    func render(_ profile: Profile) -> JSONValue {
        [
            "id": .string(profile.id.rawValue),
            "name": .string(profile.name),
            "provider_name": .string(profile.providerName),
            Profile.dataField: .string(profile.data),
        ]
    }
}

extension FlavorProfile: ProviderProfile {
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
    static let dataField = "flavor_data"
    static let bodyArgument = "flavor_profile_"
    static let linksKey = "flavorprofile_links"
    /// Octavia's spelling in delete/update messages (GET says `Flavor Profile`).
    static let messageName = "Flavor profile"
    static var capabilities: KeyPath<ProviderDriverCatalog.Driver, [ProviderDriverCatalog.Capability]> { \.flavor }

    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
    var data: String {
        get { flavorData }
        set { flavorData = newValue }
    }

    init(name: String, providerName: String, data: String) {
        self.init(name: name, providerName: providerName, flavorData: data)
    }

    static func users(of id: ID, _ reader: any StoreReading) async throws -> Int {
        try await reader.count(Flavor.self, ListQuery(filters: [("flavor_profile_id", .string(id.rawValue))]))
    }
}

extension AvailabilityZoneProfile: ProviderProfile {
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
    static let dataField = "availability_zone_data"
    static let bodyArgument = "availability_zone_profile_"
    static let linksKey = "availability_zone_profile_links"
    static let messageName = "Availability Zone Profile"
    static var capabilities: KeyPath<ProviderDriverCatalog.Driver, [ProviderDriverCatalog.Capability]> { \.availabilityZone }

    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
    var data: String {
        get { availabilityZoneData }
        set { availabilityZoneData = newValue }
    }

    init(name: String, providerName: String, data: String) {
        self.init(name: name, providerName: providerName, availabilityZoneData: data)
    }

    static func users(of id: ID, _ reader: any StoreReading) async throws -> Int {
        try await reader.count(AvailabilityZone.self, ListQuery(filters: [("availability_zone_profile_id", .string(id.rawValue))]))
    }
}
