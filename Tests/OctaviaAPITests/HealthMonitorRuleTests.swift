import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Health-monitor rules of spec/validation.md §1 and §5.
@Suite struct HealthMonitorRuleTests {
    static let path = "/v2.0/lbaas/healthmonitors"

    /// A monitor POST body on `{pool2}` (the fixture pool without a monitor) with extra JSON members.
    static func body(_ type: String = "HTTP", _ extra: String = "") -> String {
        #"{"healthmonitor": {"pool_id": "{pool2}", "type": "\#(type)", "delay": 5, "timeout": 3, "max_retries": 2\#(extra.isEmpty ? "" : ", " + extra)}}"#
    }

    static let fixture = RuleFixture.monitor("TCP")

    static let httpOnly: [ValidationRule] = [("http_method", "HEAD"), ("url_path", "/health"), ("expected_codes", "204")].map {
        (key: String, value: String) -> ValidationRule in
        let field = "\"\(key)\": \"\(value)\""
        return ValidationRule(rule: "\(key) only on HTTP/HTTPS monitors (POST)", path: path, fixture: fixture,
                        accepted: body("HTTPS", field), rejected: body("TLS-HELLO", field),
                        message: "\(key) is not a valid option for health monitors of type TLS-HELLO")
    }

    static let notNull: [ValidationRule] = ["delay", "timeout", "max_retries"].map { (key: String) -> ValidationRule in
        ValidationRule(rule: "\(key) may not be null on PUT", method: .put, path: path + "/{hm}", fixture: fixture,
                 accepted: #"{"healthmonitor": {"\#(key)": 4}}"#, rejected: #"{"healthmonitor": {"\#(key)": null}}"#,
                 message: "None is not a valid option for \(key)")
    }

    static let cases: [ValidationRule] = [
        ValidationRule(rule: "UDP-CONNECT only on UDP/SCTP pools", path: path, fixture: fixture, accepted: body("PING"),
                 rejected: body("UDP-CONNECT"),
                 message: "Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP."),
        ValidationRule(rule: "SCTP only on UDP/SCTP pools", path: path, fixture: fixture, accepted: body("TCP"),
                 rejected: body("SCTP"), message: "Validation failure: The SCTP type is only supported for pools of type UDP/SCTP."),
        ValidationRule(rule: "HTTP-only fields on PUT of another type", method: .put, path: path + "/{hm}", fixture: fixture,
                 accepted: #"{"healthmonitor": {"name": "tcp"}}"#, rejected: #"{"healthmonitor": {"http_method": "GET"}}"#,
                 message: "http_method is not a valid option for health monitors of type TCP"),
        ValidationRule(rule: "domain_name needs http_version", path: path, fixture: fixture,
                 accepted: body("HTTP", #""domain_name": "example.com", "http_version": 1.1"#),
                 rejected: body("HTTP", #""domain_name": "example.com""#),
                 message: "Validation failure: 'http_version' must be specified when 'domain_name' is provided."),
        ValidationRule(rule: "domain_name needs http_version 1.1", path: path, fixture: fixture,
                 accepted: body("HTTP", #""domain_name": "example.com", "http_version": 1.1"#),
                 rejected: body("HTTP", #""domain_name": "example.com", "http_version": 1.0"#),
                 message: "http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check"),
        ValidationRule(rule: "http_version is 1.0 or 1.1", path: path, fixture: fixture,
                 accepted: body("HTTP", #""http_version": 1.0"#), rejected: body("HTTP", #""http_version": 2.0"#)),
        ValidationRule(rule: "type cannot change on PUT", method: .put, path: path + "/{hm}", fixture: fixture,
                 accepted: #"{"healthmonitor": {"delay": 9}}"#, rejected: #"{"healthmonitor": {"type": "HTTP"}}"#),
        ValidationRule(rule: "one monitor per pool", path: path, fixture: fixture, accepted: body(),
                 rejected: body().replacingOccurrences(of: "{pool2}", with: "{pool}"), status: .conflict,
                 message: "This pool already has a health monitor"),
        ValidationRule(rule: "max_retries is 1-10", path: path, fixture: fixture,
                 accepted: body().replacingOccurrences(of: "\"max_retries\": 2", with: "\"max_retries\": 10"),
                 rejected: body().replacingOccurrences(of: "\"max_retries\": 2", with: "\"max_retries\": 0"),
                 message: "Invalid input for field/attribute max_retries. Value: '0'. Value should be greater or equal to 1"),
        ValidationRule(rule: "max_retries_down is 1-10", path: path, fixture: fixture, accepted: body("HTTP", #""max_retries_down": 1"#),
                 rejected: body("HTTP", #""max_retries_down": 11"#),
                 message: "Invalid input for field/attribute max_retries_down. Value: '11'. Value should be lower or equal to 10"),
        ValidationRule(rule: "delay is at least 0", path: path, fixture: fixture,
                 accepted: body().replacingOccurrences(of: "\"delay\": 5", with: "\"delay\": 0"),
                 rejected: body().replacingOccurrences(of: "\"delay\": 5", with: "\"delay\": -1"),
                 message: "Invalid input for field/attribute delay. Value: '-1'. Value should be greater or equal to 0"),
        ValidationRule(rule: "timeout is at least 0", path: path, fixture: fixture,
                 accepted: body().replacingOccurrences(of: "\"timeout\": 3", with: "\"timeout\": 0"),
                 rejected: body().replacingOccurrences(of: "\"timeout\": 3", with: "\"timeout\": -1"),
                 message: "Invalid input for field/attribute timeout. Value: '-1'. Value should be greater or equal to 0"),
        ValidationRule(rule: "expected_codes is a list or a range of codes", path: path, fixture: fixture,
                 accepted: body("HTTP", #""expected_codes": "200-204""#), rejected: body("HTTP", #""expected_codes": "2xx""#)),
        ValidationRule(rule: "url_path is a path", path: path, fixture: fixture,
                 accepted: body("HTTP", #""url_path": "/healthz?full=1""#), rejected: body("HTTP", #""url_path": "healthz""#)),
    ] + httpOnly + notNull

    @Test(arguments: cases) func rule(_ c: ValidationRule) async throws {
        try await RuleRunner.check(c)
    }
}
