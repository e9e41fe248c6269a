import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/providers`: the enabled provider drivers and what their flavors and availability
/// zones may set.
struct ProviderController {
    let api: APIContext

    enum CapabilityKind { case flavor, availabilityZone }

    /// Every enabled driver, by name (`[api_settings] enabled_provider_drivers`); no links.
    func list(_ request: Request) -> Response {
        let fields = APIContext.fields(request)
        let items: [JSONValue] = api.options.enabledProviderDrivers.sorted { $0.key < $1.key }.map { name, description in
            Self.select(["name": .string(name), "description": .string(description)], fields)
        }
        return JSONResponse.make(status: .ok, body: ["providers": .array(items)])
    }

    /// `flavor_capabilities` / `availability_zone_capabilities`, with exact `name=` and
    /// `description=` filters and `fields`.
    func capabilities(_ request: Request, provider: String, kind: CapabilityKind) throws -> Response {
        let driver = try api.providers.driver(provider)
        let query = request.uri.queryParameters
        let name = query.get("name").flatMap { $0.isEmpty ? nil : $0 }
        let description = query.get("description").flatMap { $0.isEmpty ? nil : $0 }
        let fields = APIContext.fields(request)
        let (key, list) = switch kind {
        case .flavor: ("flavor_capabilities", driver.flavor)
        case .availabilityZone: ("availability_zone_capabilities", driver.availabilityZone)
        }
        let items: [JSONValue] = list
            .filter { name == nil || $0.name == name }
            .filter { description == nil || $0.description == description }
            .map { Self.select(["name": .string($0.name), "description": .string($0.description)], fields) }
        return JSONResponse.make(status: .ok, body: [key: .array(items)])
    }

    static func select(_ object: [String: JSONValue], _ fields: [String]) -> JSONValue {
        .object(fields.isEmpty ? object : object.filter { fields.contains($0.key) })
    }
}
