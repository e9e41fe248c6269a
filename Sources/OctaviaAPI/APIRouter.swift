import Hummingbird
import Logging
import OctaviaCore

/// The request context of the API router.
public typealias APIRequestContext = BasicRequestContext

/// Builds the Octavia v2 API router (plus the read-only Neutron look-ups).
///
/// - Parameters:
///   - store: the database; every write is one `store.write` transaction.
///   - network: used for VIP allocation, member subnet checks and the Neutron look-ups.
///   - options: settings from octavia.conf.
///   - logger: base logger; each request adds its `request_id`.
public func buildAPIRouter(store: any Store, network: any NetworkDriver, options: APIOptions, logger: Logger)
    -> Router<APIRequestContext>
{
    buildAPIRoutes(store: store, network: network, options: options, logger: logger).router
}

/// ``buildAPIRouter`` plus the catalog of what it registered (for the OpenAPI conformance test).
func buildAPIRoutes(store: any Store, network: any NetworkDriver, options: APIOptions, logger: Logger)
    -> (router: Router<APIRequestContext>, catalog: RouteCatalog)
{
    let api = APIContext(store: store, network: network, options: options, logger: logger)
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: APIMiddleware())
    if let auth = options.authentication { router.add(middleware: AuthMiddleware(auth: auth)) }
    let catalog = RouteCatalog()
    let authorizer = options.authentication.map { RouteAuthorizer(api: api, policy: $0.policy) }
    let routes = RouteTable(router: router, catalog: catalog, authorizer: authorizer)

    let versions = VersionController()
    routes.add("/", [.get: { request, _ in versions.root(request) }])
    for path in ["/v2", "/v2.0", "/v2/lbaas", "/v2.0/lbaas"] {
        routes.add(path, [.get: { _, _ in versions.v2() }])
    }
    let openAPI = OpenAPIDocument.data
    for path in ["/v2/openapi.json", "/v2.0/openapi.json"] {
        routes.add(path, [.get: { _, _ in OpenAPIDocument.response(openAPI) }])
    }

    let loadBalancers = LoadBalancerController(api: api)
    let listeners = ListenerController(api: api)
    let pools = PoolController(api: api)
    let members = MemberController(api: api)
    let monitors = HealthMonitorController(api: api)
    let memberBatch = MemberBatchController(api: api)
    // `/v2[.0]/lbaas/<collection>` is what clients use; Octavia also mounts the same collections at `/v2[.0]/<collection>`.
    for base in ["/v2/lbaas", "/v2.0/lbaas", "/v2", "/v2.0"] {
        routes.add("\(base)/loadbalancers", [
            .get: { request, _ in try await loadBalancers.list(request) },
            .post: { request, _ in try await loadBalancers.create(request) },
        ])
        routes.add("\(base)/loadbalancers/:id", [
            .get: { request, context in try await loadBalancers.show(request, id: context.id) },
            .put: { request, context in try await loadBalancers.update(request, id: context.id) },
            .delete: { request, context in try await loadBalancers.delete(request, id: context.id) },
        ])
        routes.add("\(base)/listeners", [
            .get: { request, _ in try await listeners.list(request) },
            .post: { request, _ in try await listeners.create(request) },
        ])
        routes.add("\(base)/listeners/:id", [
            .get: { request, context in try await listeners.show(request, id: context.id) },
            .put: { request, context in try await listeners.update(request, id: context.id) },
            .delete: { request, context in try await listeners.delete(request, id: context.id) },
        ])
        routes.add("\(base)/pools", [
            .get: { request, _ in try await pools.list(request) },
            .post: { request, _ in try await pools.create(request) },
        ])
        routes.add("\(base)/pools/:id", [
            .get: { request, context in try await pools.show(request, id: context.id) },
            .put: { request, context in try await pools.update(request, id: context.id) },
            .delete: { request, context in try await pools.delete(request, id: context.id) },
        ])
        routes.add("\(base)/pools/:id/members", [
            .get: { request, context in try await members.list(request, poolID: context.poolID) },
            .post: { request, context in try await members.create(request, poolID: context.poolID) },
            .put: { request, context in try await memberBatch.update(request, poolID: context.poolID) },
        ])
        routes.add("\(base)/pools/:id/members/:member_id", [
            .get: { request, context in try await members.show(request, poolID: context.poolID, id: context.memberID) },
            .put: { request, context in try await members.update(request, poolID: context.poolID, id: context.memberID) },
            .delete: { request, context in try await members.delete(request, poolID: context.poolID, id: context.memberID) },
        ])
        routes.add("\(base)/healthmonitors", [
            .get: { request, _ in try await monitors.list(request) },
            .post: { request, _ in try await monitors.create(request) },
        ])
        routes.add("\(base)/healthmonitors/:id", [
            .get: { request, context in try await monitors.show(request, id: context.id) },
            .put: { request, context in try await monitors.update(request, id: context.id) },
            .delete: { request, context in try await monitors.delete(request, id: context.id) },
        ])
    }

    let bases = ["/v2/lbaas", "/v2.0/lbaas", "/v2", "/v2.0"]
    registerL7Routes(routes, api: api, bases: bases)
    registerCatalogRoutes(routes, api: api, bases: bases)
    registerOperationsRoutes(routes, api: api, bases: bases)

    let neutron = NeutronController(api: api)
    for base in ["/v2.0", "/v2", "/networking/v2.0"] {
        routes.add("\(base)/networks", [.get: { request, _ in try await neutron.networks(request) }])
        routes.add("\(base)/networks/:id", [.get: { request, context in try await neutron.network(request, id: context.id) }])
        routes.add("\(base)/subnets", [.get: { request, _ in try await neutron.subnets(request) }])
        routes.add("\(base)/subnets/:id", [.get: { request, context in try await neutron.subnet(request, id: context.id) }])
    }
    return (router, catalog)
}

/// Registers a path with its handlers and answers 405 for every other method, so a known path
/// with a wrong method is not reported as 404.
struct RouteTable {
    typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response
    let router: Router<APIRequestContext>
    let catalog: RouteCatalog
    /// Checks each route's policy first when auth is on (nil under noauth).
    var authorizer: RouteAuthorizer?

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]

    func add(_ path: String, _ handlers: [HTTPRequest.Method: Handler]) {
        catalog.record(path, methods: Array(handlers.keys))
        for method in Self.methods {
            if let handler = handlers[method] {
                guard let authorizer else {
                    router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
                    continue
                }
                let policy = RoutePolicy.resolve(path: path, method: method)
                router.on(RouterPath(path), method: method) { request, context in
                    try await handler(try await authorizer.authorize(request, policy, context: context), context)
                }
            } else {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw OctaviaError(.methodNotAllowed, "The method is not allowed for the requested URL.")
                }
            }
        }
    }
}

extension APIRequestContext {
    /// Path parameters (always present on the routes that read them).
    var id: String { parameters.get("id") ?? "" }
    var poolID: String { parameters.get("id") ?? "" }
    var memberID: String { parameters.get("member_id") ?? "" }
}
