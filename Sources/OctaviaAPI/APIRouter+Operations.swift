/// Status tree, statistics, failover, batch member update and the admin amphora API.
func registerOperationsRoutes(_ routes: RouteTable, api: APIContext, bases: [String]) {
}
