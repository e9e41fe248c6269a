import Foundation
import Hummingbird
import OctaviaCore

extension Flavor: APIResource {
    static let statusColumn: String? = nil
    static let resourceName = "Flavor"
    static let singular = "flavor"
    static let plural = "flavors"
    static let columns: [String: ListColumn] = [
        "id": .init(column: "id", kind: .string),
        "name": .init(column: "name", kind: .string),
        "description": .init(column: "description", kind: .string),
        "enabled": .init(column: "enabled", kind: .bool),
        "flavor_profile_id": .init(column: "flavor_profile_id", kind: .string),
    ]
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { .active }
    var apiTags: [String] { [] }
}

/// `/v2/lbaas/flavors`.
struct FlavorController {
    let api: APIContext

    static let putFields: Set<String> = ["name", "description", "enabled"]
    static let postFields = putFields.union(["flavor_profile_id"])

    func list(_ request: Request) async throws -> Response {
        try await api.catalogList(Flavor.self, request, linksKey: "flavors_links", render: render)
    }

    func show(_ request: Request, id: String) async throws -> Response {
        APIContext.single("flavor", render(try await fetch(id)), fields: APIContext.fields(request))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "flavor", argument: "flavor_", allowed: Self.postFields)
        let name = try body.required("name", body.string("name"))
        let description = try body.string("description").value
        let enabled = try body.bool("enabled")
        let profileID = try body.required("flavor_profile_id", body.uuid("flavor_profile_id", FlavorProfile.ID.self))
        let flavor = Flavor(name: name, description: description, enabled: enabled.value ?? !enabled.isPresent,
                            flavorProfileID: profileID)
        try await api.store.write { tx in
            guard try await tx.fetch(FlavorProfile.self, id: profileID) != nil else {
                throw OctaviaError(.badRequest, "\(FlavorProfile.resourceName) \(profileID) not found.")
            }
            try await requireUniqueName(name, tx)
            try await tx.insert(flavor)
        }
        return APIContext.single("flavor", render(flavor), status: .created)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Flavor.resourceName, id) }
        let body = try await api.body(request, root: "flavor", argument: "flavor_", allowed: Self.putFields)
        let name = try body.string("name")
        if case .null = name { throw OctaviaError(.badRequest, "None is not a valid option for name") }
        let description = try body.string("description")
        let enabled = try body.bool("enabled")
        let updated = try await api.store.write { tx -> Flavor in
            var flavor = try await fetch(id, on: tx)
            if let newName = name.value, newName != flavor.name {
                try await requireUniqueName(newName, tx)
                flavor.name = newName
            }
            if description.isPresent { flavor.description = description.value }
            if enabled.isPresent { flavor.enabled = enabled.value ?? false }
            try await tx.update(flavor)
            return flavor
        }
        return APIContext.single("flavor", render(updated))
    }

    func delete(id: String) async throws -> Response {
        if id == Flavor.nilID { throw OctaviaError.notFound(Flavor.resourceName, id) }
        try await api.store.write { tx in
            let flavor = try await fetch(id, on: tx)
            if try await api.liveLoadBalancers("flavor_id", flavor.id.rawValue, on: tx) > 0 {
                throw OctaviaError(.conflict, "Flavor \(flavor.id) is in use and cannot be modified.")
            }
            try await tx.delete(Flavor.self, id: flavor.id.rawValue)
        }
        return Response(status: .noContent)
    }

    /// 409 `A flavor of <name> already exists.`
    func requireUniqueName(_ name: String, _ tx: any StoreWriting) async throws {
        if try await tx.count(Flavor.self, ListQuery(filters: [("name", .string(name))])) > 0 {
            throw OctaviaError(.conflict, "A flavor of \(name) already exists.")
        }
    }

    /// The flavor or 404; the nil UUID is never a flavor.
    func fetch(_ id: String, on reader: (any StoreReading)? = nil) async throws -> Flavor {
        guard id != Flavor.nilID, let uuid = Flavor.ID(id),
              let flavor = try await (reader ?? api.store.reader).fetch(Flavor.self, id: uuid)
        else { throw OctaviaError.notFound(Flavor.resourceName, id) }
        return flavor
    }

    func render(_ flavor: Flavor) -> JSONValue {
        [
            "id": .string(flavor.id.rawValue),
            "name": .string(flavor.name),
            "description": .text(flavor.description),
            "enabled": .bool(flavor.enabled),
            "flavor_profile_id": .string(flavor.flavorProfileID.rawValue),
        ]
    }
}
