import Hummingbird
import OctaviaAuth

/// Which oslo.policy rule guards a route and what its ownership target is, derived from the
/// route's path template and method in one table so controllers stay unaware of RBAC.
struct RoutePolicy: Sendable, Equatable {
    /// How the `{"project_id": ...}` target of the check is found.
    enum Target: Sendable, Equatable {
        /// Authenticated callers only, no rule (version documents, OpenAPI, Neutron look-ups).
        case authenticatedOnly
        /// The caller's own project: only the role matters (flavors, providers, amphorae...).
        case caller
        /// The project named by the path (`/quotas/{project_id}`).
        case pathProject
        /// The project owning the object named by the path's `id` (or its parent pool/policy).
        case object(OwnerLookup)
        /// A collection GET scoped by Octavia's `_auth_get_all` (`<prefix>get_all-global`).
        case scopedList
        /// A create whose body names the owner: `project_id` (load balancers) or a parent object.
        case body(root: String, parents: [BodyParent])
    }

    /// A body field naming the parent the new object belongs to.
    struct BodyParent: Sendable, Equatable {
        var key: String
        var lookup: OwnerLookup
    }

    var resource: String
    var actions: [String]
    var target: Target

    var names: [String] { actions.map { "\(DefaultPolicies.apiPrefix)\(resource):\($0)" } }

    static let prefixes = ["/v2.0/lbaas/", "/v2/lbaas/", "/v2.0/octavia/", "/v2/octavia/", "/v2.0/", "/v2/"]
    static let open = RoutePolicy(resource: "", actions: [], target: .authenticatedOnly)

    /// The policy of `method path` (a registered template such as `/v2/lbaas/pools/:id/members`);
    /// nil for a route this table does not know, which the authorizer refuses.
    static func resolve(path: String, method: HTTPRequest.Method) -> RoutePolicy? {
        if ["/", "/v2", "/v2.0", "/v2/lbaas", "/v2.0/lbaas"].contains(path) { return open }
        if path.hasPrefix("/networking/") { return open }
        guard let prefix = prefixes.first(where: { path.hasPrefix($0) }) else { return nil }
        let segments = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        guard let collection = segments.first else { return nil }
        if ["networks", "subnets", "openapi.json"].contains(collection) { return open }
        let verb = method.rawValue
        func crud(_ resource: String, _ target: Target, list: Target? = nil, create: Target? = nil) -> RoutePolicy? {
            switch (segments.count, verb) {
            case (1, "GET"): RoutePolicy(resource: resource, actions: ["get_all"], target: list ?? target)
            case (1, "POST"): RoutePolicy(resource: resource, actions: ["post"], target: create ?? target)
            case (2, "GET"): RoutePolicy(resource: resource, actions: ["get_one"], target: target)
            case (2, "PUT"): RoutePolicy(resource: resource, actions: ["put"], target: target)
            case (2, "DELETE"): RoutePolicy(resource: resource, actions: ["delete"], target: target)
            default: nil
            }
        }
        func sub(_ resource: String, _ action: String, _ target: Target) -> RoutePolicy {
            RoutePolicy(resource: resource, actions: [action], target: target)
        }
        let operation = segments.count == 3 ? "\(verb) \(segments[2])" : nil
        switch collection {
        case "loadbalancers":
            switch operation {
            case "GET status", "GET statuses": return sub("loadbalancer", "get_status", .object(.loadBalancer))
            case "GET stats": return sub("loadbalancer", "get_stats", .object(.loadBalancer))
            case "PUT failover": return sub("loadbalancer", "put_failover", .object(.loadBalancer))
            default:
                return crud("loadbalancer", .object(.loadBalancer), list: .scopedList,
                            create: .body(root: "loadbalancer", parents: []))
            }
        case "listeners":
            if operation == "GET stats" { return sub("listener", "get_stats", .object(.listener)) }
            return crud("listener", .object(.listener), list: .scopedList,
                        create: .body(root: "listener", parents: [BodyParent(key: "loadbalancer_id", lookup: .loadBalancer)]))
        case "pools":
            if segments.count >= 3, segments[2] == "members" {
                switch (segments.count, verb) {
                case (3, "GET"): return sub("member", "get_all", .object(.pool))
                case (3, "POST"): return sub("member", "post", .object(.pool))
                // Batch update: creates, updates and (unless additive_only) deletes.
                case (3, "PUT"): return RoutePolicy(resource: "member", actions: ["post", "put", "delete"], target: .object(.pool))
                case (4, "GET"): return sub("member", "get_one", .object(.pool))
                case (4, "PUT"): return sub("member", "put", .object(.pool))
                case (4, "DELETE"): return sub("member", "delete", .object(.pool))
                default: return nil
                }
            }
            return crud("pool", .object(.pool), list: .scopedList, create: .body(root: "pool", parents: [
                BodyParent(key: "loadbalancer_id", lookup: .loadBalancer), BodyParent(key: "listener_id", lookup: .listener),
            ]))
        case "healthmonitors":
            return crud("healthmonitor", .object(.healthMonitor), list: .scopedList,
                        create: .body(root: "healthmonitor", parents: [BodyParent(key: "pool_id", lookup: .pool)]))
        case "l7policies":
            if segments.count >= 3, segments[2] == "rules" {
                switch (segments.count, verb) {
                case (3, "GET"): return sub("l7rule", "get_all", .object(.l7Policy))
                case (3, "POST"): return sub("l7rule", "post", .object(.l7Policy))
                case (4, "GET"): return sub("l7rule", "get_one", .object(.l7Policy))
                case (4, "PUT"): return sub("l7rule", "put", .object(.l7Policy))
                case (4, "DELETE"): return sub("l7rule", "delete", .object(.l7Policy))
                default: return nil
                }
            }
            return crud("l7policy", .object(.l7Policy), list: .scopedList,
                        create: .body(root: "l7policy", parents: [BodyParent(key: "listener_id", lookup: .listener)]))
        case "quotas":
            if operation == "GET default" { return sub("quota", "get_defaults", .pathProject) }
            return crud("quota", .pathProject, list: .scopedList)
        case "providers":
            switch operation {
            case "GET flavor_capabilities": return sub("provider-flavor", "get_all", .caller)
            case "GET availability_zone_capabilities": return sub("provider-availability-zone", "get_all", .caller)
            default: return segments.count == 1 && verb == "GET" ? sub("provider", "get_all", .caller) : nil
            }
        case "flavors": return crud("flavor", .caller)
        case "flavorprofiles": return crud("flavor-profile", .caller)
        case "availabilityzones": return crud("availability-zone", .caller)
        case "availabilityzoneprofiles": return crud("availability-zone-profile", .caller)
        case "amphorae":
            switch operation {
            case "PUT config": return sub("amphora", "put_config", .caller)
            case "PUT failover": return sub("amphora", "put_failover", .caller)
            case "GET stats": return sub("amphora", "get_stats", .caller)
            default: return crud("amphora", .caller)
            }
        default:
            return nil
        }
    }
}
