/// Quotas, providers, flavors, flavor profiles, availability zones and their profiles.
func registerCatalogRoutes(_ routes: RouteTable, api: APIContext, bases: [String]) {
}
