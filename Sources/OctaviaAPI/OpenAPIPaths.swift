import OctaviaCore
/// The operations of the document, written out per resource independently of the router so the
/// route-catalog test really compares two descriptions.
enum OpenAPIPaths {
    /// One documented operation.
    struct Operation {
        var method: String
        var summary: String
        var status: Int
        /// The request body schema and its name under `components/schemas`.
        var request: (name: String, schema: JSONValue)? = nil
        /// Top-level key of the success body (`nil`: no body).
        var responseKey: String? = nil
        var responseIsList = false
        var query: [JSONValue] = []
        /// Dispatched to the provider driver, which may refuse a valid option with 501.
        var providerMayRefuse = false
    }

    typealias Entry = (path: String, operations: [Operation])

    static let lbaasBases = ["/v2/lbaas", "/v2.0/lbaas", "/v2", "/v2.0"]

    /// Every path with its operations.
    static var all: [Entry] {
        var entries: [Entry] = [("/", [Operation(method: "get", summary: "API versions", status: 200, responseKey: "versions")])]
        for path in ["/v2", "/v2.0", "/v2/lbaas", "/v2.0/lbaas"] {
            entries.append((path, [Operation(method: "get", summary: "The v2 API root", status: 200)]))
        }
        for path in ["/v2/openapi.json", "/v2.0/openapi.json"] {
            entries.append((path, [Operation(method: "get", summary: "This document", status: 200, responseKey: "openapi")]))
        }
        for base in lbaasBases { entries += lbaas(base) + catalog(base) }
        for base in ["/v2/octavia", "/v2.0/octavia"] { entries += amphorae(base) }
        for base in ["/v2.0", "/v2", "/networking/v2.0"] { entries += neutron(base) }
        return entries
    }

    /// Query parameters, defined once under `components/parameters`.
    static let queryParameters: [String: JSONValue] = [
        "limit": query("limit", ["type": "integer"]), "marker": query("marker", ["type": "string"]),
        "page_reverse": query("page_reverse", ["type": "boolean"]), "sort": query("sort", ["type": "string"]),
        "sort_key": query("sort_key", ["type": "string"]), "sort_dir": query("sort_dir", ["enum": ["asc", "desc"]]),
        "fields": query("fields", ["type": "array", "items": ["type": "string"]]),
    ]
    static let listQuery = ["limit", "marker", "page_reverse", "sort", "sort_key", "sort_dir", "fields"].map(reference)
    static let showQuery = [reference("fields")]

    static func reference(_ parameter: String) -> JSONValue {
        ["$ref": .string("#/components/parameters/\(parameter)")]
    }

    static func query(_ name: String, _ schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "schema": schema]
    }

    /// list + create on the collection, show + update + delete on the item.
    static func crud(_ collection: String, singular: String, plural: String, title: String,
                     create: JSONValue, update: JSONValue, updateStatus: Int = 200) -> [Entry] {
        let schemaName = title.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return [
            (collection, [
                Operation(method: "get", summary: "List \(title)s", status: 200, responseKey: plural,
                          responseIsList: true, query: listQuery),
                Operation(method: "post", summary: "Create a \(title)", status: 201,
                          request: (schemaName + "Create", OpenAPISchemas.envelope(singular, create)), responseKey: singular),
            ]),
            ("\(collection)/{id}", [
                Operation(method: "get", summary: "Show a \(title)", status: 200, responseKey: singular, query: showQuery),
                Operation(method: "put", summary: "Update a \(title)", status: updateStatus,
                          request: (schemaName + "Update", OpenAPISchemas.envelope(singular, update)), responseKey: singular),
                Operation(method: "delete", summary: "Delete a \(title)", status: 204),
            ]),
        ]
    }

    static func lbaas(_ base: String) -> [Entry] {
        typealias S = OpenAPISchemas
        var entries: [Entry] = []
        entries += crud("\(base)/loadbalancers", singular: "loadbalancer", plural: "loadbalancers", title: "load balancer",
                        create: S.body(S.loadBalancer, allowed: LoadBalancerController.postFields),
                        update: S.body(S.loadBalancer, allowed: LoadBalancerController.putFields))
        entries += [
            ("\(base)/loadbalancers/{id}/status", [Operation(method: "get", summary: "Status tree", status: 200, responseKey: "statuses")]),
            ("\(base)/loadbalancers/{id}/statuses", [Operation(method: "get", summary: "Status tree", status: 200, responseKey: "statuses")]),
            ("\(base)/loadbalancers/{id}/stats", [Operation(method: "get", summary: "Load balancer statistics", status: 200, responseKey: "stats")]),
            ("\(base)/loadbalancers/{id}/failover", [Operation(method: "put", summary: "Fail over a load balancer", status: 202)]),
        ]
        entries += crud("\(base)/listeners", singular: "listener", plural: "listeners", title: "listener",
                        create: S.body(S.listener, allowed: ListenerController.postFields,
                                       required: ["protocol", "protocol_port", "loadbalancer_id"]),
                        update: S.body(S.listener, allowed: ListenerController.putFields))
        entries.append(("\(base)/listeners/{id}/stats",
                        [Operation(method: "get", summary: "Listener statistics", status: 200, responseKey: "stats")]))
        entries += crud("\(base)/pools", singular: "pool", plural: "pools", title: "pool",
                        create: S.body(S.pool, allowed: PoolController.postFields, required: ["protocol", "lb_algorithm"]),
                        update: S.body(S.pool, allowed: PoolController.putFields))
        let memberCreate = S.body(S.member, allowed: MemberController.postFields, required: ["address", "protocol_port"])
        entries += [
            ("\(base)/pools/{id}/members", [
                Operation(method: "get", summary: "List members", status: 200, responseKey: "members",
                          responseIsList: true, query: listQuery),
                Operation(method: "post", summary: "Create a member", status: 201,
                          request: ("MemberCreate", S.envelope("member", memberCreate)), responseKey: "member"),
                Operation(method: "put", summary: "Batch update the members", status: 202,
                          request: ("MemberBatchUpdate", ["type": "object", "additionalProperties": false,
                                                          "required": ["members"],
                                                          "properties": ["members": ["type": "array", "items": memberCreate]]])),
            ]),
            ("\(base)/pools/{id}/members/{member_id}", [
                Operation(method: "get", summary: "Show a member", status: 200, responseKey: "member", query: showQuery),
                Operation(method: "put", summary: "Update a member", status: 200,
                          request: ("MemberUpdate", S.envelope("member", S.body(S.member, allowed: MemberController.putFields))),
                          responseKey: "member"),
                Operation(method: "delete", summary: "Delete a member", status: 204),
            ]),
        ]
        entries += crud("\(base)/healthmonitors", singular: "healthmonitor", plural: "healthmonitors", title: "health monitor",
                        create: S.body(S.healthMonitor, allowed: HealthMonitorController.postFields,
                                       required: ["pool_id", "type", "delay", "timeout", "max_retries"]),
                        update: S.body(S.healthMonitor, allowed: HealthMonitorController.putFields))
        entries += crud("\(base)/l7policies", singular: "l7policy", plural: "l7policies", title: "L7 policy",
                        create: S.body(S.l7Policy, allowed: L7PolicyController.postFields, required: ["listener_id", "action"]),
                        update: S.body(S.l7Policy, allowed: L7PolicyController.putFields))
        let rules = crud("\(base)/l7policies/{id}/rules", singular: "rule", plural: "rules", title: "L7 rule",
                         create: S.body(S.l7Rule, allowed: L7RuleController.postFields, required: ["type", "compare_type", "value"]),
                         update: S.body(S.l7Rule, allowed: L7RuleController.putFields))
        entries.append(rules[0])
        entries.append(("\(base)/l7policies/{id}/rules/{rule_id}", rules[1].operations))
        return entries.map { entry in
            (entry.path, entry.operations.map { operation in
                var operation = operation
                operation.providerMayRefuse = operation.request != nil
                return operation
            })
        }
    }

    static func catalog(_ base: String) -> [Entry] {
        typealias S = OpenAPISchemas
        let quotaBody = S.envelope("quota", S.body(S.quota, allowed: Set(QuotaController.bodyNames.map(\.0))))
        var entries: [Entry] = [
            ("\(base)/quotas", [Operation(method: "get", summary: "List quotas", status: 200, responseKey: "quotas",
                                          responseIsList: true, query: listQuery)]),
            ("\(base)/quotas/{id}", [
                Operation(method: "get", summary: "Show a project's quota", status: 200, responseKey: "quota"),
                Operation(method: "put", summary: "Update a project's quota", status: 202, request: ("QuotaUpdate", quotaBody), responseKey: "quota"),
                Operation(method: "delete", summary: "Reset a project's quota", status: 202),
            ]),
            ("\(base)/quotas/{id}/default", [Operation(method: "get", summary: "Default quota", status: 200, responseKey: "quota")]),
            ("\(base)/providers", [Operation(method: "get", summary: "List providers", status: 200, responseKey: "providers",
                                             responseIsList: true, query: showQuery)]),
            ("\(base)/providers/{id}/flavor_capabilities", [
                Operation(method: "get", summary: "Flavor capabilities", status: 200, responseKey: "flavor_capabilities", query: showQuery),
            ]),
            ("\(base)/providers/{id}/availability_zone_capabilities", [
                Operation(method: "get", summary: "Availability zone capabilities", status: 200,
                          responseKey: "availability_zone_capabilities", query: showQuery),
            ]),
        ]
        entries += crud("\(base)/flavors", singular: "flavor", plural: "flavors", title: "flavor",
                        create: S.body(S.flavor, allowed: FlavorController.postFields, required: ["name", "flavor_profile_id"]),
                        update: S.body(S.flavor, allowed: FlavorController.putFields))
        entries += crud("\(base)/flavorprofiles", singular: "flavorprofile", plural: "flavorprofiles", title: "flavor profile",
                        create: S.body(S.flavorProfile, allowed: ProviderProfileController<FlavorProfile>.fields,
                                       required: ["name", "provider_name", "flavor_data"]),
                        update: S.body(S.flavorProfile, allowed: ProviderProfileController<FlavorProfile>.fields))
        entries += crud("\(base)/availabilityzones", singular: "availability_zone", plural: "availability_zones",
                        title: "availability zone",
                        create: S.body(S.zone, allowed: AvailabilityZoneController.postFields,
                                       required: ["name", "availability_zone_profile_id"]),
                        update: S.body(S.zone, allowed: AvailabilityZoneController.putFields))
        entries += crud("\(base)/availabilityzoneprofiles", singular: "availability_zone_profile",
                        plural: "availability_zone_profiles", title: "availability zone profile",
                        create: S.body(S.zoneProfile, allowed: ProviderProfileController<AvailabilityZoneProfile>.fields,
                                       required: ["name", "provider_name", "availability_zone_data"]),
                        update: S.body(S.zoneProfile, allowed: ProviderProfileController<AvailabilityZoneProfile>.fields))
        return entries
    }

    static func amphorae(_ base: String) -> [Entry] {
        [
            ("\(base)/amphorae", [Operation(method: "get", summary: "List amphorae", status: 200, responseKey: "amphorae",
                                            responseIsList: true, query: listQuery)]),
            ("\(base)/amphorae/{id}", [
                Operation(method: "get", summary: "Show an amphora", status: 200, responseKey: "amphora", query: showQuery),
                Operation(method: "delete", summary: "Delete an ERROR amphora", status: 204),
            ]),
            ("\(base)/amphorae/{id}/config", [Operation(method: "put", summary: "Refresh agent configuration", status: 202)]),
            ("\(base)/amphorae/{id}/failover", [Operation(method: "put", summary: "Fail over an amphora", status: 202)]),
            ("\(base)/amphorae/{id}/stats", [Operation(method: "get", summary: "Amphora statistics", status: 200,
                                                       responseKey: "amphora_stats")]),
        ]
    }

    /// The read-only Neutron look-ups the CLI needs to resolve names.
    static func neutron(_ base: String) -> [Entry] {
        [
            ("\(base)/networks", [Operation(method: "get", summary: "List networks", status: 200, responseKey: "networks", responseIsList: true)]),
            ("\(base)/networks/{id}", [Operation(method: "get", summary: "Show a network", status: 200, responseKey: "network")]),
            ("\(base)/subnets", [Operation(method: "get", summary: "List subnets", status: 200, responseKey: "subnets", responseIsList: true)]),
            ("\(base)/subnets/{id}", [Operation(method: "get", summary: "Show a subnet", status: 200, responseKey: "subnet")]),
        ]
    }
}
