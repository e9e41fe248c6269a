import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Pool rules of spec/validation.md §2 and §4 (TLS rules: TLSValidationTests).
@Suite struct PoolRuleTests {
    static let path = "/v2.0/lbaas/pools"

    /// A pool POST body on `{lb}` with extra JSON members.
    static func body(_ extra: String = "", proto: String = "HTTP") -> String {
        #"{"pool": {"loadbalancer_id": "{lb}", "protocol": "\#(proto)", "lb_algorithm": "ROUND_ROBIN"\#(extra.isEmpty ? "" : ", " + extra)}}"#
    }

    static func persistence(_ json: String) -> String { body(#""session_persistence": \#(json)"#) }

    static let cases: [ValidationRule] = [
        ValidationRule(rule: "loadbalancer_id or listener_id is required", path: path, accepted: body(),
                 rejected: #"{"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#,
                 message: "Validation failure: Must provide at least one of: loadbalancer_id, listener_id"),
        ValidationRule(rule: "pool protocol must suit its listener", path: path, fixture: .listener("HTTP"),
                 accepted: #"{"pool": {"listener_id": "{listener}", "protocol": "PROXY", "lb_algorithm": "ROUND_ROBIN"}}"#,
                 rejected: #"{"pool": {"listener_id": "{listener}", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#,
                 message: "The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'."),
        ValidationRule(rule: "PROMETHEUS listeners take no pool", path: path, fixture: .listener("PROMETHEUS"),
                 accepted: body(), rejected: #"{"pool": {"listener_id": "{listener}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#,
                 message: "Protocol PROMETHEUS listeners cannot have child objects."),
        ValidationRule(rule: "cookie_name only with APP_COOKIE", path: path,
                 accepted: persistence(#"{"type": "APP_COOKIE", "cookie_name": "JSESSIONID"}"#),
                 rejected: persistence(#"{"type": "SOURCE_IP", "cookie_name": "JSESSIONID"}"#),
                 message: #"Validation failure: Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE"."#),
        ValidationRule(rule: "APP_COOKIE needs cookie_name", path: path,
                 accepted: persistence(#"{"type": "HTTP_COOKIE"}"#), rejected: persistence(#"{"type": "APP_COOKIE"}"#),
                 message: #"Validation failure: Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type."#),
        ValidationRule(rule: "cookie_name matches the type pattern", path: path,
                 accepted: persistence(#"{"type": "APP_COOKIE", "cookie_name": "a-b_c"}"#),
                 rejected: persistence(#"{"type": "APP_COOKIE", "cookie_name": "a b"}"#),
                 message: #"Invalid input for field/attribute cookie_name. Value: 'a b'. Value should match the pattern ^[^\s,;\\]+$"#),
        ValidationRule(rule: "cookie_name has only cookie characters", path: path,
                 accepted: persistence(#"{"type": "APP_COOKIE", "cookie_name": "a.b"}"#),
                 rejected: persistence(#"{"type": "APP_COOKIE", "cookie_name": "a=b"}"#),
                 message: #"Validation failure: Supplied "cookie_name" is invalid."#),
        ValidationRule(rule: "persistence_timeout only on UDP/SCTP pools (POST)", path: path,
                 accepted: persistence(#"{"type": "SOURCE_IP"}"#),
                 rejected: persistence(#"{"type": "SOURCE_IP", "persistence_timeout": 60}"#),
                 message: "Validation failure: persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools."),
        ValidationRule(rule: "persistence_granularity only on UDP/SCTP pools (PUT)", method: .put, path: path + "/{pool}",
                 fixture: .pools("HTTP"), accepted: #"{"pool": {"session_persistence": {"type": "SOURCE_IP"}}}"#,
                 rejected: #"{"pool": {"session_persistence": {"type": "SOURCE_IP", "persistence_granularity": "255.255.255.0"}}}"#,
                 message: "Validation failure: persistence_timeout and persistence_granularity is only for UDP protocol pools."),
        ValidationRule(rule: "amphora provider has no SOURCE_IP_PORT", path: path,
                 accepted: #"{"pool": {"loadbalancer_id": "{lb}", "protocol": "TCP", "lb_algorithm": "SOURCE_IP"}}"#,
                 rejected: #"{"pool": {"loadbalancer_id": "{lb}", "protocol": "TCP", "lb_algorithm": "SOURCE_IP_PORT"}}"#,
                 status: .notImplemented,
                 message: "Provider 'amphora' does not support a requested option: Amphora provider does not support SOURCE_IP_PORT algorithm."),
    ]

    @Test(arguments: cases) func rule(_ c: ValidationRule) async throws {
        try await RuleRunner.check(c)
    }

    /// The second default pool (409) needs a listener that already has one: its own fixture.
    @Test func listenerHasOneDefaultPool() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let listener = try await api.createListener(lb: lb)
            _ = try await api.createPool(listener: listener)
            let before = try await RuleRunner.snapshot(api, ["lb": lb, "listener": listener])
            let r = try await api.request(.post, Self.path, #"{"pool": {"listener_id": "\#(listener)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            #expect(r.status == .conflict)
            #expect(r.faultstring == "This listener already has a default pool")
            #expect(try await RuleRunner.snapshot(api, ["lb": lb, "listener": listener]) == before)
            let other = try await api.createListener(lb: lb, port: 81)
            let ok = try await api.request(.post, Self.path, #"{"pool": {"listener_id": "\#(other)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            #expect(ok.status == .created)
        }
    }
}
