import Foundation
import Hummingbird
import OctaviaCore

extension AvailabilityZone: APIResource {
    static let statusColumn: String? = nil
    static let resourceName = "Availability Zone"
    static let singular = "availability_zone"
    static let plural = "availability_zones"
    /// The name is the key column `id`.
    static let columns: [String: ListColumn] = [
        "name": .init(column: "id", kind: .string),
        "description": .init(column: "description", kind: .string),
        "enabled": .init(column: "enabled", kind: .bool),
        "availability_zone_profile_id": .init(column: "availability_zone_profile_id", kind: .string),
    ]
    var apiID: String { name }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
}

/// `/v2/lbaas/availabilityzones`, keyed by name.
struct AvailabilityZoneController {
    let api: APIContext

    static let putFields: Set<String> = ["description", "enabled"]
    static let postFields = putFields.union(["name", "availability_zone_profile_id"])

    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(AvailabilityZone.self, request, linksKey: "availability_zones_links", render: render)
    }

    func show(_ request: Request, name: String) async throws -> Response {
        APIContext.single("availability_zone", render(try await fetch(name)), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "availability_zone", argument: "availability_zone_",
                                      allowed: Self.postFields)
        let name = try body.required("name", body.string("name"))
        let description = try body.string("description").value
        let enabled = try body.bool("enabled")
        let profileID = try body.required(
            "availability_zone_profile_id", body.uuid("availability_zone_profile_id", AvailabilityZoneProfile.ID.self))
        let zone = AvailabilityZone(name: name, description: description, enabled: enabled.value ?? !enabled.isPresent,
                                    availabilityZoneProfileID: profileID)
        try await api.store.write { tx in
            guard try await tx.fetch(AvailabilityZoneProfile.self, id: profileID) != nil else {
                throw OctaviaError(.badRequest, "\(AvailabilityZoneProfile.resourceName) \(profileID) not found.")
            }
            if try await tx.fetch(AvailabilityZone.self, id: name) != nil {
                throw OctaviaError(.conflict, "A availability zone of \(name) already exists.")
            }
            try await tx.insert(zone)
        }
        return APIContext.single("availability_zone", render(zone), status: .created)
    }

    func update(_ request: Request, name: String) async throws -> Response {
        if name == Flavor.nilID { throw OctaviaError.notFound(AvailabilityZone.resourceName, name) }
        let body = try await api.body(request, root: "availability_zone", argument: "availability_zone_",
                                      allowed: Self.putFields)
        let description = try body.string("description")
        let enabled = try body.bool("enabled")
        let updated = try await api.store.write { tx -> AvailabilityZone in
            var zone = try await fetch(name, on: tx)
            if description.isPresent { zone.description = description.value }
            if enabled.isPresent { zone.enabled = enabled.value ?? false }
            try await tx.update(zone)
            return zone
        }
        return APIContext.single("availability_zone", render(updated))
    }

    func delete(name: String) async throws -> Response {
        try await api.store.write { tx in
            let zone = try await fetch(name, on: tx)
            if try await api.liveLoadBalancers("availability_zone", zone.name, on: tx) > 0 {
                throw OctaviaError(.conflict, "Availability Zone \(zone.name) is in use and cannot be modified.")
            }
            try await tx.delete(AvailabilityZone.self, id: zone.name)
        }
        return Response(status: .noContent)
    }

    /// The zone or 404; the nil UUID is never a zone name.
    func fetch(_ name: String, on reader: (any StoreReading)? = nil) async throws -> AvailabilityZone {
        guard name != Flavor.nilID, let zone = try await (reader ?? api.store.reader).fetch(AvailabilityZone.self, id: name)
        else { throw OctaviaError.notFound(AvailabilityZone.resourceName, name) }
        return zone
    }

    func render(_ zone: AvailabilityZone) -> JSONValue {
        [
            "name": .string(zone.name),
            "description": .text(zone.description),
            "enabled": .bool(zone.enabled),
            "availability_zone_profile_id": .string(zone.availabilityZoneProfileID.rawValue),
        ]
    }
}
