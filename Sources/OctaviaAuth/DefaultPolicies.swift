/// Octavia's registered policy defaults (`octavia/policies/*.py`, digested in spec/policy.md).
public enum DefaultPolicies {
    /// One registered rule: its check string and, for the Wallaby base rules, the deprecated
    /// check that is OR-ed in while `[oslo_policy] enforce_new_defaults = false`.
    public struct Rule: Sendable {
        public var name: String
        public var check: String
        public var deprecated: String?
    }

    /// The prefix of every per-operation rule.
    public static let apiPrefix = "os_load-balancer_api:"

    static let admin = "rule:load-balancer:admin"
    static let read = "rule:load-balancer:read"
    static let readGlobal = "rule:load-balancer:read-global"
    static let write = "rule:load-balancer:write"
    static let readQuota = "rule:load-balancer:read-quota"
    static let readQuotaGlobal = "rule:load-balancer:read-quota-global"
    static let writeQuota = "rule:load-balancer:write-quota"

    static let base: [Rule] = [
        Rule(name: "project-member", check: "role:member and project_id:%(project_id)s"),
        Rule(name: "project-reader", check: "role:reader and project_id:%(project_id)s"),
        Rule(name: "context_is_admin", check: "role:admin", deprecated: "role:admin or role:load-balancer_admin"),
        Rule(name: "load-balancer:owner", check: "project_id:%(project_id)s"),
        Rule(name: "load-balancer:admin", check: "is_admin:True or role:admin",
             deprecated: "is_admin:True or role:admin or role:load-balancer_admin"),
        Rule(name: "service", check: "role:service"),
        Rule(name: "load-balancer:global_observer", check: "role:admin",
             deprecated: "role:load-balancer_global_observer"),
        Rule(name: "load-balancer:member_and_owner", check: "rule:project-member",
             deprecated: "role:load-balancer_member and rule:load-balancer:owner"),
        Rule(name: "load-balancer:observer_and_owner", check: "rule:project-reader",
             deprecated: "role:load-balancer_observer and rule:load-balancer:owner"),
        Rule(name: "load-balancer:quota-admin", check: "role:admin", deprecated: "role:load-balancer_quota_admin"),
        Rule(name: "load-balancer:read",
             check: "rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or "
                 + "rule:load-balancer:member_and_owner or rule:load-balancer:admin"),
        Rule(name: "load-balancer:read-global", check: "rule:load-balancer:global_observer or rule:load-balancer:admin"),
        Rule(name: "load-balancer:write", check: "rule:load-balancer:member_and_owner or rule:load-balancer:admin"),
        Rule(name: "load-balancer:read-quota",
             check: "rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or "
                 + "rule:load-balancer:member_and_owner or rule:load-balancer:quota-admin or rule:load-balancer:admin"),
        Rule(name: "load-balancer:read-quota-global",
             check: "rule:load-balancer:global_observer or rule:load-balancer:quota-admin or rule:load-balancer:admin"),
        Rule(name: "load-balancer:write-quota", check: "rule:load-balancer:quota-admin or rule:load-balancer:admin"),
    ]

    /// resource prefix → [(action, check)].
    static let operations: [(String, [(String, String)])] = [
        ("loadbalancer", [
            ("get_all", read), ("get_all-global", readGlobal), ("get_one", read), ("post", write), ("put", write),
            ("delete", write), ("get_stats", read), ("get_status", read), ("put_failover", admin),
            ("post:vip_sg_ids", write), ("put:vip_sg_ids", write),
        ]),
        ("listener", crud(global: true) + [("get_stats", read)]),
        ("pool", crud(global: true)),
        ("member", [("get_all", "\(read) or rule:service")] + crud(global: false).filter { $0.0 != "get_all" }),
        ("healthmonitor", crud(global: true)),
        ("l7policy", crud(global: true)),
        ("l7rule", crud(global: false)),
        ("quota", [
            ("get_all", readQuota), ("get_all-global", readQuotaGlobal), ("get_one", readQuota),
            ("put", writeQuota), ("delete", writeQuota), ("get_defaults", readQuota),
        ]),
        ("amphora", [
            ("get_all", admin), ("get_one", admin), ("delete", admin), ("put_config", admin),
            ("put_failover", admin), ("get_stats", admin),
        ]),
        ("provider", [("get_all", read)]),
        ("provider-flavor", [("get_all", admin)]),
        ("provider-availability-zone", [("get_all", admin)]),
        ("flavor", [("get_all", read), ("get_one", read), ("post", admin), ("put", admin), ("delete", admin)]),
        ("flavor-profile", adminOnly),
        ("availability-zone", [("get_all", read), ("get_one", read), ("post", admin), ("put", admin), ("delete", admin)]),
        ("availability-zone-profile", adminOnly),
    ]

    static func crud(global: Bool) -> [(String, String)] {
        [("get_all", read)] + (global ? [("get_all-global", readGlobal)] : [])
            + [("get_one", read), ("post", write), ("put", write), ("delete", write)]
    }

    static let adminOnly = ["get_all", "get_one", "post", "put", "delete"].map { ($0, admin) }

    /// Every registered rule, base rules first.
    public static let all: [Rule] = base + operations.flatMap { resource, actions in
        actions.map { Rule(name: "\(apiPrefix)\(resource):\($0.0)", check: $0.1) }
    }

    /// The effective check strings: with `enforceNewDefaults == false` each deprecated
    /// alternative is OR-ed in, as oslo.policy does while deprecated rules are honoured.
    public static func checkStrings(enforceNewDefaults: Bool) -> [String: String] {
        var result: [String: String] = [:]
        for rule in all {
            if !enforceNewDefaults, let old = rule.deprecated, old != rule.check {
                result[rule.name] = "(\(rule.check)) or (\(old))"
            } else {
                result[rule.name] = rule.check
            }
        }
        return result
    }
}
