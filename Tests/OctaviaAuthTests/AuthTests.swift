import Foundation
import Logging
import Testing

@testable import OctaviaAuth

@Suite struct PolicyGrammarTests {
    @Test func precedenceIsNotThenAndThenOr() throws {
        #expect(try PolicyParser.parse("role:a or role:b and not role:c")
            == .or([.role("a"), .and([.role("b"), .not(.role("c"))])]))
        #expect(try PolicyParser.parse("(role:a or role:b) and role:c")
            == .and([.or([.role("a"), .role("b")]), .role("c")]))
        #expect(try PolicyParser.parse("((rule:x))") == .rule("x"))
        #expect(try PolicyParser.parse("NOT role:a AND role:b") == .and([.not(.role("a")), .role("b")]))
    }

    @Test func specialChecks() throws {
        #expect(try PolicyParser.parse("") == .always)
        #expect(try PolicyParser.parse("@") == .always)
        #expect(try PolicyParser.parse("!") == .never)
        #expect(try PolicyParser.parse("project_id:%(project_id)s") == .generic(kind: "project_id", match: "%(project_id)s"))
        #expect(try PolicyParser.parse("'member':%(role)s") == .generic(kind: "'member'", match: "%(role)s"))
    }

    @Test(arguments: ["role:a and", "(role:a", "role:a)", "or role:a", "admin", "\"quoted\"", "role:a role:b", "http://x", ":x", "not"])
    func malformedRulesAreErrors(_ text: String) {
        #expect(throws: PolicyParser.ParseError.self) { try PolicyParser.parse(text) }
    }

    @Test func substitution() {
        let target = PolicyTarget(["project_id": "p1", "x": "y"])
        #expect(target.substitute("%(project_id)s") == "p1")
        #expect(target.substitute("a-%(x)s-%%") == "a-y-%")
        #expect(target.substitute("%(missing)s") == nil)
        #expect(target.substitute("plain") == "plain")
    }

    @Test func evaluation() throws {
        let enforcer = try PolicyEnforcer(rules: [
            "owner": PolicyParser.parse("project_id:%(project_id)s"),
            "r": PolicyParser.parse("role:Member and rule:owner or is_admin:True"),
            "lit": PolicyParser.parse("'abc':%(name)s"),
            "user": PolicyParser.parse("user_id:%(user_id)s and not role:banned"),
        ])
        let alice = Credentials(userID: "u1", projectID: "p1", roles: ["member"])
        #expect(enforcer.check("r", target: .project("p1"), credentials: alice))
        #expect(!enforcer.check("r", target: .project("p2"), credentials: alice))
        #expect(!enforcer.check("r", target: PolicyTarget(), credentials: alice))
        var admin = alice
        admin.roles = []
        admin.isAdmin = true
        #expect(enforcer.check("r", target: .project("p2"), credentials: admin))
        #expect(enforcer.check("lit", target: PolicyTarget(["name": "abc"]), credentials: alice))
        #expect(!enforcer.check("lit", target: PolicyTarget(["name": "abd"]), credentials: alice))
        #expect(enforcer.check("user", target: PolicyTarget(["user_id": "u1"]), credentials: alice))
        #expect(!enforcer.check("unregistered", target: .project("p1"), credentials: admin))
    }

    @Test func unknownReferencesAndCyclesAreRejected() throws {
        #expect(throws: PolicyError.self) { try PolicyEnforcer(rules: ["a": .rule("nope")]) }
        let error = #expect(throws: PolicyError.self) {
            try PolicyEnforcer(rules: ["a": .rule("b"), "b": .or([.role("x"), .rule("c")]), "c": .rule("a")])
        }
        #expect(error?.reason.contains("cycle") == true)
        #expect(throws: PolicyError.self) { try PolicyEnforcer(rules: ["self": .rule("self")]) }
    }
}

@Suite struct DefaultPolicyTests {
    static let lb = "os_load-balancer_api:loadbalancer:"

    func creds(_ roles: [String], project: String = "A") -> Credentials {
        Credentials(userID: "u", projectID: project, roles: roles)
    }

    @Test func newDefaultsPerRole() throws {
        let policy = try PolicyEnforcer.make(enforceNewDefaults: true)
        let reader = policy.withAdminFlag(creds(["reader"]))
        let member = policy.withAdminFlag(creds(["member", "reader"]))
        let admin = policy.withAdminFlag(creds(["admin", "member", "reader"], project: "admin"))
        let own = PolicyTarget.project("A"), other = PolicyTarget.project("B")
        #expect(policy.check(Self.lb + "get_one", target: own, credentials: reader))
        #expect(policy.check(Self.lb + "get_all", target: own, credentials: reader))
        #expect(!policy.check(Self.lb + "post", target: own, credentials: reader))
        #expect(!policy.check(Self.lb + "get_all-global", target: own, credentials: reader))
        #expect(policy.check(Self.lb + "post", target: own, credentials: member))
        #expect(!policy.check(Self.lb + "get_one", target: other, credentials: member))
        #expect(!policy.check(Self.lb + "put_failover", target: own, credentials: member))
        #expect(admin.isAdmin && !member.isAdmin)
        #expect(policy.check(Self.lb + "delete", target: other, credentials: admin))
        #expect(policy.check(Self.lb + "get_all-global", target: other, credentials: admin))
        #expect(policy.check("os_load-balancer_api:amphora:get_all", target: own, credentials: admin))
        #expect(!policy.check("os_load-balancer_api:amphora:get_all", target: own, credentials: member))
        #expect(policy.check("os_load-balancer_api:flavor:get_all", target: own, credentials: reader))
        #expect(!policy.check("os_load-balancer_api:flavor:post", target: own, credentials: member))
        #expect(policy.check("os_load-balancer_api:member:get_all", target: other, credentials: creds(["service"])))
        #expect(!policy.check("os_load-balancer_api:quota:put", target: own, credentials: member))
        // The deprecated roles do nothing once the new defaults are enforced.
        #expect(!policy.check(Self.lb + "post", target: own, credentials: policy.withAdminFlag(creds(["load-balancer_member"]))))
        #expect(!policy.withAdminFlag(creds(["load-balancer_admin"])).isAdmin)
    }

    @Test func deprecatedRolesWhileNewDefaultsAreNotEnforced() throws {
        let policy = try PolicyEnforcer.make(enforceNewDefaults: false)
        let own = PolicyTarget.project("A"), other = PolicyTarget.project("B")
        let lbMember = policy.withAdminFlag(creds(["load-balancer_member"]))
        let observer = policy.withAdminFlag(creds(["load-balancer_observer"]))
        let global = policy.withAdminFlag(creds(["load-balancer_global_observer"]))
        let quotaAdmin = policy.withAdminFlag(creds(["load-balancer_quota_admin"]))
        let lbAdmin = policy.withAdminFlag(creds(["load-balancer_admin"]))
        #expect(policy.check(Self.lb + "post", target: own, credentials: lbMember))
        #expect(!policy.check(Self.lb + "post", target: other, credentials: lbMember))
        #expect(policy.check(Self.lb + "get_one", target: own, credentials: observer))
        #expect(!policy.check(Self.lb + "put", target: own, credentials: observer))
        #expect(policy.check(Self.lb + "get_all-global", target: other, credentials: global))
        #expect(!policy.check(Self.lb + "delete", target: other, credentials: global))
        #expect(policy.check("os_load-balancer_api:quota:put", target: other, credentials: quotaAdmin))
        #expect(lbAdmin.isAdmin)
        #expect(policy.check("os_load-balancer_api:amphora:delete", target: own, credentials: lbAdmin))
        // New roles keep working too.
        #expect(policy.check(Self.lb + "post", target: own, credentials: creds(["member"])))
    }

    @Test func everyOperationRuleResolves() throws {
        let policy = try PolicyEnforcer.make(enforceNewDefaults: true)
        #expect(policy.rules.count == DefaultPolicies.all.count)
        for rule in DefaultPolicies.all where rule.name.hasPrefix(DefaultPolicies.apiPrefix) {
            // Admin passes every registered operation in any project.
            let admin = policy.withAdminFlag(creds(["admin"]))
            #expect(policy.check(rule.name, target: .project("Z"), credentials: admin), "\(rule.name)")
        }
    }
}

@Suite struct PolicyFileTests {
    @Test func overridesReplaceRules() throws {
        let overrides = try PolicyFile.parse("""
            # readers may create load balancers in their own project
            "os_load-balancer_api:loadbalancer:post": "rule:load-balancer:read"
            "os_load-balancer_api:loadbalancer:get_one": [["role:special", "project_id:%(project_id)s"], ["role:admin"]]
            "custom": "@"
            """, path: "p.yaml")
        let policy = try PolicyEnforcer.make(enforceNewDefaults: true, overrides: overrides)
        let reader = Credentials(projectID: "A", roles: ["reader"])
        #expect(policy.check("os_load-balancer_api:loadbalancer:post", target: .project("A"), credentials: reader))
        #expect(!policy.check("os_load-balancer_api:loadbalancer:get_one", target: .project("A"), credentials: reader))
        #expect(policy.check("os_load-balancer_api:loadbalancer:get_one", target: .project("A"),
                             credentials: Credentials(projectID: "A", roles: ["special"])))
        #expect(policy.check("custom", target: PolicyTarget(), credentials: Credentials()))
    }

    @Test func jsonIsAccepted() throws {
        let overrides = try PolicyFile.parse(#"{"context_is_admin": "role:boss"}"#, path: "p.json")
        #expect(overrides == ["context_is_admin": "role:boss"])
        #expect(try PolicyFile.parse("", path: "empty.yaml").isEmpty)
    }

    @Test(arguments: [
        "a: [unclosed", "- just\n- a list", "\"x\": \"role:a and\"", "\"x\": {\"nested\": 1}",
    ])
    func malformedFilesAreErrors(_ text: String) {
        let error = #expect(throws: PolicyError.self) { try PolicyFile.parse(text, path: "/etc/octavia/policy.yaml") }
        #expect(error?.reason.contains("/etc/octavia/policy.yaml") == true)
    }

    @Test func unknownRuleReferenceInOverrideIsAnError() throws {
        let overrides = try PolicyFile.parse("\"os_load-balancer_api:loadbalancer:post\": \"rule:does-not-exist\"", path: "p")
        let error = #expect(throws: PolicyError.self) { try PolicyEnforcer.make(enforceNewDefaults: true, overrides: overrides) }
        #expect(error?.reason.contains("does-not-exist") == true)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: PolicyError.self) { try PolicyFile.load(path: "/nonexistent/policy.yaml") }
    }
}

@Suite struct TokenCacheTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test func entriesExpireWithTheTokenOrMaxAge() {
        var cache = TokenCache(capacity: 10, maxAge: 300)
        let c = Credentials(projectID: "A")
        cache.insert("short", c, expires: t0.addingTimeInterval(10), now: t0)
        cache.insert("long", c, expires: t0.addingTimeInterval(3600), now: t0)
        cache.insert("expired", c, expires: t0.addingTimeInterval(-1), now: t0)
        #expect(cache.lookup("short", now: t0.addingTimeInterval(9)) == c)
        #expect(cache.lookup("short", now: t0.addingTimeInterval(10)) == nil)
        #expect(cache.lookup("long", now: t0.addingTimeInterval(299)) == c)
        #expect(cache.lookup("long", now: t0.addingTimeInterval(301)) == nil)
        #expect(cache.lookup("expired", now: t0) == nil)
    }

    @Test func capacityIsBounded() {
        var cache = TokenCache(capacity: 3, maxAge: 1000)
        for i in 0..<10 {
            cache.insert("t\(i)", Credentials(projectID: "\(i)"), expires: t0.addingTimeInterval(Double(100 + i)), now: t0)
            #expect(cache.entries.count <= 3)
        }
        // The ones expiring soonest went first.
        #expect(cache.lookup("t9", now: t0) != nil)
        #expect(cache.lookup("t0", now: t0) == nil)
    }

    @Test func keystoneDates() {
        #expect(KeystoneTokenDocument.parseDate("2026-11-26T18:25:12.000000Z") == Date(timeIntervalSince1970: 1_795_717_512))
        #expect(KeystoneTokenDocument.parseDate("2026-11-26T18:25:12Z") == Date(timeIntervalSince1970: 1_795_717_512))
        #expect(KeystoneTokenDocument.parseDate("garbage") == nil)
    }
}

@Suite struct KeystoneValidatorTests {
    @Test(.timeLimit(.minutes(1))) func unreachableKeystoneIsUnavailableNotInvalid() async throws {
        let started = ContinuousClock.now
        // Port 9 (discard) on loopback is closed on test machines: connection refused.
        let validator = KeystoneTokenValidator(
            settings: KeystoneSettings(wwwAuthenticateURI: "http://127.0.0.1:9/v3", authURL: "http://127.0.0.1:9",
                                       username: "octavia", password: "secret", projectName: "service",
                                       timeout: .seconds(30)),
            logger: Logger(label: "test"))
        await #expect(throws: TokenValidationError.self) { try await validator.validate("sometoken") }
        do {
            _ = try await validator.validate("sometoken")
        } catch {
            guard case .unavailable = error else { Issue.record("expected unavailable, got \(error)"); return }
        }
        // A refused connection fails at once, well before the 30 s deadline.
        #expect(ContinuousClock.now - started < .seconds(10))
        await #expect(throws: TokenValidationError.invalid) { try await validator.validate("  ") }
        await validator.shutdown()
    }
}
