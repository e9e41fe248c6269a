import Hummingbird
import OctaviaCore

/// Quotas, providers, flavors, flavor profiles, availability zones and their profiles.
func registerCatalogRoutes(_ routes: RouteTable, api: APIContext, bases: [String]) {
    let quotas = QuotaController(api: api)
    let providers = ProviderController(api: api)
    let flavors = FlavorController(api: api)
    let flavorProfiles = ProviderProfileController<FlavorProfile>(api: api)
    let zones = AvailabilityZoneController(api: api)
    let zoneProfiles = ProviderProfileController<AvailabilityZoneProfile>(api: api)
    for base in bases {
        routes.add("\(base)/quotas", [.get: { request, _ in try await quotas.list(request) }])
        routes.add("\(base)/quotas/:id", [
            .get: { _, context in try await quotas.show(project: context.id) },
            .put: { request, context in try await quotas.update(request, project: context.id) },
            .delete: { _, context in try await quotas.reset(project: context.id) },
        ])
        routes.add("\(base)/quotas/:id/default", [.get: { _, context in quotas.defaults(project: context.id) }])

        routes.add("\(base)/providers", [.get: { request, _ in providers.list(request) }])
        routes.add("\(base)/providers/:id/flavor_capabilities", [
            .get: { request, context in try providers.capabilities(request, provider: context.id, kind: .flavor) },
        ])
        routes.add("\(base)/providers/:id/availability_zone_capabilities", [
            .get: { request, context in try providers.capabilities(request, provider: context.id, kind: .availabilityZone) },
        ])

        routes.add("\(base)/flavors", [
            .get: { request, _ in try await flavors.list(request) },
            .post: { request, _ in try await flavors.create(request) },
        ])
        routes.add("\(base)/flavors/:id", [
            .get: { request, context in try await flavors.show(request, id: context.id) },
            .put: { request, context in try await flavors.update(request, id: context.id) },
            .delete: { _, context in try await flavors.delete(id: context.id) },
        ])
        routes.add("\(base)/flavorprofiles", [
            .get: { request, _ in try await flavorProfiles.list(request) },
            .post: { request, _ in try await flavorProfiles.create(request) },
        ])
        routes.add("\(base)/flavorprofiles/:id", [
            .get: { request, context in try await flavorProfiles.show(request, id: context.id) },
            .put: { request, context in try await flavorProfiles.update(request, id: context.id) },
            .delete: { _, context in try await flavorProfiles.delete(id: context.id) },
        ])
        routes.add("\(base)/availabilityzones", [
            .get: { request, _ in try await zones.list(request) },
            .post: { request, _ in try await zones.create(request) },
        ])
        routes.add("\(base)/availabilityzones/:id", [
            .get: { request, context in try await zones.show(request, name: context.id) },
            .put: { request, context in try await zones.update(request, name: context.id) },
            .delete: { _, context in try await zones.delete(name: context.id) },
        ])
        routes.add("\(base)/availabilityzoneprofiles", [
            .get: { request, _ in try await zoneProfiles.list(request) },
            .post: { request, _ in try await zoneProfiles.create(request) },
        ])
        routes.add("\(base)/availabilityzoneprofiles/:id", [
            .get: { request, context in try await zoneProfiles.show(request, id: context.id) },
            .put: { request, context in try await zoneProfiles.update(request, id: context.id) },
            .delete: { _, context in try await zoneProfiles.delete(id: context.id) },
        ])
    }
}

extension APIContext {
    /// A catalog collection: like ``listResponse`` but with the links key given explicitly, since
    /// Octavia spells some of them in the singular (`flavorprofile_links`).
    func catalogList<T: APIResource>(_ type: T.Type, _ request: Request, linksKey: String, render: (T) -> JSONValue)
        async throws -> Response
    {
        let query = try ListRequest(request, for: T.self, maxLimit: options.paginationMaxLimit)
        let rows = try await query.run(T.self, on: store.reader)
        let items = rows.map { query.select(render($0)) }
        let links = query.links(for: rows.map(\.apiID), request: request, baseURI: options.apiBaseURI)
        return JSONResponse.make(status: .ok, body: [T.plural: .array(items), linksKey: links])
    }

    /// Load balancers with `column = value` that are not DELETED (flavor and zone in-use checks).
    func liveLoadBalancers(_ column: String, _ value: String, on reader: any StoreReading) async throws -> Int {
        let all = try await reader.count(LoadBalancer.self, ListQuery(filters: [(column, .string(value))]))
        let deleted = try await reader.count(LoadBalancer.self, ListQuery(filters: [
            (column, .string(value)), ("provisioning_status", .string(ProvisioningStatus.deleted.rawValue)),
        ]))
        return all - deleted
    }

    /// The provider drivers' capabilities and validators.
    var providers: ProviderDriverCatalog { ProviderDriverCatalog(options: options) }
}
