import Foundation
import OctaviaCore

extension HAProxyConfigRenderer {
    /// A policy's `acl` lines, one per enabled rule, then its action line (Octavia's `l7policy_macro`).
    static func l7PolicyLines(_ entry: RenderSelection.PolicyEntry, listener: Listener.ID) -> [String] {
        var lines = entry.rules.map(aclLine)
        // Rules are AND-ed: `if r1 !r2 r3`.
        let condition = "if" + entry.rules.map { " " + ($0.invert ? "!" : "") + $0.id.rawValue }.joined()
        let policy = entry.policy
        let code = policy.redirectHTTPCode.map { " code \($0)" } ?? ""
        switch policy.action {
        case .reject:
            lines.append("http-request deny \(condition)")
        case .redirectToURL:
            if let url = policy.redirectURL { lines.append("redirect\(code) location \(url) \(condition)") }
        case .redirectToPool:
            if let pool = entry.redirectPool {
                lines.append("use_backend \(backendName(pool: pool.pool.id, listener: listener)) \(condition)")
            }
        case .redirectPrefix:
            if let prefix = policy.redirectPrefix { lines.append("redirect\(code) prefix \(prefix) \(condition)") }
        }
        return lines
    }

    /// `acl <rule_id> <fetch> <match> <value>` per rule type (spec/haproxy.md, "L7 rules → ACLs").
    static func aclLine(_ rule: L7Rule) -> String {
        let value = aclPattern(rule.value)
        let match = rule.compareType.haproxyMatch
        let key = rule.key ?? ""
        let id = rule.id.rawValue
        switch rule.type {
        case .hostName: return "acl \(id) req.hdr(host) -i \(match) \(value)"
        case .path: return "acl \(id) path \(match) \(value)"
        case .fileType:
            // Octavia emits no `-m str` for FILE_TYPE EQUAL_TO: path_end already compares the suffix.
            return rule.compareType == .equalTo ? "acl \(id) path_end \(value)" : "acl \(id) path_end \(match) \(value)"
        case .header: return "acl \(id) req.hdr(\(key)) \(match) \(value)"
        case .cookie: return "acl \(id) req.cook(\(key)) \(match) \(value)"
        case .sslConnHasCert: return "acl \(id) ssl_c_used"
        case .sslVerifyResult: return "acl \(id) ssl_c_verify eq \(escapedACLValue(rule.value))"
        case .sslDNField: return "acl \(id) ssl_c_s_dn(\(key)) \(match) \(value)"
        }
    }

    /// The escaped value, after `--` when it starts with `-`: HAProxy would otherwise read it as an
    /// ACL flag and refuse the whole configuration (`-team` "is not a valid ACL option").
    static func aclPattern(_ value: String) -> String {
        let escaped = escapedACLValue(value)
        return escaped.hasPrefix("-") ? "-- " + escaped : escaped
    }

    /// HAProxy reads a space as the end of the value and `\` as an escape: double the one, escape the other.
    static func escapedACLValue(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: " ", with: "\\ ")
    }
}

extension L7RuleCompareType {
    /// HAProxy's `-m` match method.
    var haproxyMatch: String {
        switch self {
        case .regex: "-m reg"
        case .startsWith: "-m beg"
        case .endsWith: "-m end"
        case .contains: "-m sub"
        case .equalTo: "-m str"
        }
    }
}

extension L7PolicyAction {
    /// The order HAProxy evaluates the rendered lines in: `http-request deny`, `redirect`, `use_backend`.
    var haproxyPrecedence: Int {
        switch self {
        case .reject: 0
        case .redirectToURL, .redirectPrefix: 1
        case .redirectToPool: 2
        }
    }
}
