import Foundation

/// A checked set of named rules: every `rule:` reference resolves and no rule refers to itself
/// through others, so evaluation always terminates.
public struct PolicyEnforcer: Sendable {
    public let rules: [String: PolicyCheck]

    /// - Throws: ``PolicyError`` naming an unknown `rule:` reference or a cycle.
    public init(rules: [String: PolicyCheck]) throws(PolicyError) {
        for name in rules.keys.sorted() {
            for reference in rules[name]!.referencedRules.sorted() where rules[reference] == nil {
                throw PolicyError("policy rule '\(name)' refers to unknown rule '\(reference)'")
            }
        }
        try Self.checkCycles(rules)
        self.rules = rules
    }

    /// Octavia's defaults with the operator's overrides on top.
    /// - Parameters:
    ///   - enforceNewDefaults: `[oslo_policy] enforce_new_defaults`; false keeps the deprecated
    ///     `load-balancer_*` roles working.
    ///   - overrides: name → check string, usually from ``PolicyFile``; an override replaces the
    ///     whole rule (deprecated alternative included), as in oslo.policy.
    public static func make(enforceNewDefaults: Bool, overrides: [String: String] = [:]) throws -> PolicyEnforcer {
        var rules: [String: PolicyCheck] = [:]
        for (name, text) in DefaultPolicies.checkStrings(enforceNewDefaults: enforceNewDefaults).merging(overrides, uniquingKeysWith: { $1 }) {
            do {
                rules[name] = try PolicyParser.parse(text)
            } catch {
                throw PolicyError("policy rule '\(name)': \(error.description)")
            }
        }
        return try PolicyEnforcer(rules: rules)
    }

    /// Whether rule `name` passes. An unregistered name never passes.
    public func check(_ name: String, target: PolicyTarget, credentials: Credentials) -> Bool {
        guard let rule = rules[name] else { return false }
        return evaluate(rule, target: target, credentials: credentials)
    }

    /// Octavia's `context.is_admin`: `context_is_admin` checked with the credentials as target.
    public func withAdminFlag(_ credentials: Credentials) -> Credentials {
        var result = credentials
        var target: [String: String] = [:]
        if let project = credentials.projectID { target["project_id"] = project }
        if let user = credentials.userID { target["user_id"] = user }
        result.isAdmin = check("context_is_admin", target: PolicyTarget(target), credentials: credentials)
        return result
    }

    func evaluate(_ check: PolicyCheck, target: PolicyTarget, credentials: Credentials) -> Bool {
        switch check {
        case .always: return true
        case .never: return false
        case .role(let template):
            guard let role = target.substitute(template) else { return false }
            return credentials.hasRole(role)
        case .rule(let name):
            guard let rule = rules[name] else { return false }
            return evaluate(rule, target: target, credentials: credentials)
        case .generic(let kind, let template):
            guard let match = target.substitute(template) else { return false }
            if let literal = Self.literal(kind) { return match == literal }
            guard let values = credentials.values(for: kind) else { return false }
            return values.contains(match)
        case .not(let inner):
            return !evaluate(inner, target: target, credentials: credentials)
        case .and(let checks):
            return checks.allSatisfy { evaluate($0, target: target, credentials: credentials) }
        case .or(let checks):
            return checks.contains { evaluate($0, target: target, credentials: credentials) }
        }
    }

    /// oslo.policy's `ast.literal_eval(kind)`: a quoted string, `True`/`False` or a number on
    /// the left of a generic check is compared as a constant.
    static func literal(_ kind: String) -> String? {
        if kind.count >= 2, let first = kind.first, first == "'" || first == "\"", kind.last == first {
            return String(kind.dropFirst().dropLast())
        }
        if kind == "True" || kind == "False" { return kind }
        if Int(kind) != nil { return kind }
        return nil
    }

    /// Depth-first search for a rule that reaches itself through `rule:` references.
    static func checkCycles(_ rules: [String: PolicyCheck]) throws(PolicyError) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        func visit(_ name: String, path: [String]) throws(PolicyError) {
            switch marks[name] {
            case .done: return
            case .visiting:
                let cycle = path[(path.firstIndex(of: name) ?? 0)...] + [name]
                throw PolicyError("policy rules form a cycle: \(cycle.joined(separator: " -> "))")
            case nil: break
            }
            marks[name] = .visiting
            for reference in (rules[name]?.referencedRules ?? []).sorted() {
                try visit(reference, path: path + [name])
            }
            marks[name] = .done
        }
        for name in rules.keys.sorted() { try visit(name, path: []) }
    }
}
