import OctaviaCore

extension GoldenCase {
    static let l7Cases: [GoldenCase] = [l7Actions, l7RuleTypes, l7CompareTypes]

    /// Every action, grouped by HAProxy precedence then position (given out of order); REDIRECT_TO_POOL gets its own backend per
    /// listener; disabled/ruleless/deleting policies and disabled rules are left out; a disabled redirect
    /// pool keeps the ACL but loses `use_backend`; the default pool as redirect target adds no backend.
    static let l7Actions: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 21)
        b.listener(1, .http, port: 80, pool: 1)
        b.listener(2, .http, port: 8080, pool: 1)
        b.pool(1, .http)
        b.pool(2, .http, .leastConnections)
        b.pool(3, .http) { $0.adminStateUp = false }
        b.member(1, pool: 1, address: "10.0.21.11", port: 80)
        b.member(2, pool: 2, address: "10.0.21.21", port: 80)
        b.monitor(1, pool: 2, .http, delay: 5, timeout: 3, rise: 2, fall: 3) { $0.httpMethod = .get; $0.urlPath = "/" }

        b.l7Policy(4, listener: 1, position: 4, .redirectPrefix) { $0.redirectPrefix = "https://www.example.com"; $0.redirectHTTPCode = 308 }
        b.l7Rule(4, policy: 4, .fileType, .equalTo, value: "php")
        b.l7Policy(1, listener: 1, position: 10, .reject)  // last by position, first by precedence
        b.l7Rule(1, policy: 1, .path, .startsWith, value: "/admin")
        b.l7Policy(3, listener: 1, position: 3, .redirectToPool) { $0.redirectPoolID = GraphBuilder.id("22222222", 2) }
        b.l7Rule(3, policy: 3, .header, .equalTo, key: "X-Version", value: "v2")
        b.l7Rule(5, policy: 3, .cookie, .equalTo, key: "beta", value: "no", invert: true)
        b.l7Rule(6, policy: 3, .hostName, .endsWith, value: ".internal") { $0.adminStateUp = false }
        b.l7Policy(2, listener: 1, position: 2, .redirectToURL) { $0.redirectURL = "https://example.com/moved"; $0.redirectHTTPCode = 301 }
        b.l7Rule(2, policy: 2, .hostName, .equalTo, value: "old.example.com")
        b.l7Policy(5, listener: 1, position: 5, .reject) { $0.adminStateUp = false }
        b.l7Rule(7, policy: 5, .path, .contains, value: "disabled-policy")
        b.l7Policy(6, listener: 1, position: 6, .reject)
        b.l7Rule(8, policy: 6, .path, .contains, value: "disabled-rule") { $0.adminStateUp = false }
        b.l7Policy(7, listener: 1, position: 7, .redirectToPool) { $0.redirectPoolID = GraphBuilder.id("22222222", 3) }
        b.l7Rule(9, policy: 7, .path, .startsWith, value: "/disabled-pool")
        b.l7Policy(8, listener: 1, position: 8, .redirectToPool) { $0.redirectPoolID = GraphBuilder.id("22222222", 1) }
        b.l7Rule(10, policy: 8, .path, .startsWith, value: "/default")
        b.l7Policy(9, listener: 1, position: 9, .reject) { $0.provisioningStatus = .pendingDelete }
        b.l7Rule(11, policy: 9, .path, .startsWith, value: "/deleting")
        // The same pool behind a second listener: a second backend named for that listener.
        b.l7Policy(10, listener: 2, position: 1, .redirectToPool) { $0.redirectPoolID = GraphBuilder.id("22222222", 2) }
        b.l7Rule(12, policy: 10, .path, .startsWith, value: "/api")
        return GoldenCase(name: "l7_actions", graph: b.graph)
    }()

    /// One ACL per rule type, with keys, inversion and value escaping (backslash, space, quotes, leading `-`).
    static let l7RuleTypes: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 22)
        b.listener(1, .http, port: 80, pool: 1)
        b.pool(1, .http)
        b.member(1, pool: 1, address: "10.0.22.11", port: 80)
        b.l7Policy(1, listener: 1, position: 10, .reject)  // last by position, first by precedence
        b.l7Rule(1, policy: 1, .hostName, .equalTo, value: "www.example.com")
        b.l7Rule(2, policy: 1, .path, .regex, value: #"^/api/v[0-9]+\.json$"#, invert: true)
        b.l7Rule(3, policy: 1, .fileType, .regex, value: "jpe?g")
        b.l7Rule(4, policy: 1, .header, .contains, key: "User-Agent", value: #""Mozilla 5.0""#)
        b.l7Rule(5, policy: 1, .cookie, .startsWith, key: "session", value: "abc")
        b.l7Rule(6, policy: 1, .sslConnHasCert, .equalTo, value: "TRUE")
        b.l7Rule(7, policy: 1, .sslVerifyResult, .equalTo, value: "0")
        b.l7Rule(8, policy: 1, .sslDNField, .regex, key: "CN", value: #"^client\d+ one$"#, invert: true)
        b.l7Policy(2, listener: 1, position: 2, .redirectToURL) { $0.redirectURL = "http://example.com/" }
        b.l7Rule(9, policy: 2, .fileType, .equalTo, value: "gif")
        // A value starting with `-` must follow `--`, or HAProxy reads it as a flag.
        b.l7Rule(10, policy: 2, .sslDNField, .endsWith, key: "OU", value: "-team")
        return GoldenCase(name: "l7_rule_types", graph: b.graph)
    }()

    /// Every compare type on PATH, and each again inverted.
    static let l7CompareTypes: GoldenCase = {
        var b = GraphBuilder(loadBalancer: 23)
        b.listener(1, .http, port: 80, pool: 1)
        b.pool(1, .http)
        b.member(1, pool: 1, address: "10.0.23.11", port: 80)
        for (index, compare) in L7RuleCompareType.allCases.enumerated() {
            for invert in [false, true] {
                let number = index * 2 + (invert ? 2 : 1)
                b.l7Policy(number, listener: 1, position: number, .reject)
                b.l7Rule(number, policy: number, .path, compare, value: "/\(compare.rawValue.lowercased())", invert: invert)
            }
        }
        return GoldenCase(name: "l7_compare_types", graph: b.graph)
    }()
}
