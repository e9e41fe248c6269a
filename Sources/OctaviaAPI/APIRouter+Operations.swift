/// Status tree, statistics, failover, batch member update and the admin amphora API.
/// (The batch member update is the PUT of the member collection, registered with its GET/POST.)
func registerOperationsRoutes(_ routes: RouteTable, api: APIContext, bases: [String]) {
    let status = StatusController(api: api)
    let stats = StatsController(api: api)
    let failover = FailoverController(api: api)
    let amphorae = AmphoraController(api: api)
    for base in bases {
        for name in ["status", "statuses"] {
            routes.add("\(base)/loadbalancers/:id/\(name)", [
                .get: { request, context in try await status.show(request, id: context.id) },
            ])
        }
        routes.add("\(base)/loadbalancers/:id/stats", [
            .get: { request, context in try await stats.loadBalancer(request, id: context.id) },
        ])
        routes.add("\(base)/loadbalancers/:id/failover", [
            .put: { request, context in try await failover.loadBalancer(request, id: context.id) },
        ])
        routes.add("\(base)/listeners/:id/stats", [
            .get: { request, context in try await stats.listener(request, id: context.id) },
        ])
    }
    for base in ["/v2/octavia", "/v2.0/octavia"] {
        routes.add("\(base)/amphorae", [.get: { request, _ in try await amphorae.list(request) }])
        routes.add("\(base)/amphorae/:id", [
            .get: { request, context in try await amphorae.show(request, id: context.id) },
            .delete: { request, context in try await amphorae.delete(request, id: context.id) },
        ])
        routes.add("\(base)/amphorae/:id/config", [
            .put: { request, context in try await amphorae.config(request, id: context.id) },
        ])
        routes.add("\(base)/amphorae/:id/failover", [
            .put: { request, context in try await failover.amphora(request, id: context.id) },
        ])
        routes.add("\(base)/amphorae/:id/stats", [
            .get: { request, context in try await stats.amphora(request, id: context.id) },
        ])
    }
}
