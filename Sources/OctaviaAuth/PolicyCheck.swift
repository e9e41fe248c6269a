/// One parsed oslo.policy check string (`role:admin or (rule:x and not project_id:%(project_id)s)`).
///
/// Evaluated against a ``PolicyTarget`` (the object's attributes, substituted into `%(field)s`)
/// and ``Credentials`` (who is asking).
public indirect enum PolicyCheck: Sendable, Equatable {
    /// `@` (and the empty string): always passes.
    case always
    /// `!`: never passes.
    case never
    /// `role:<name>`: the caller holds the role (case-insensitive), `<name>` may use `%(field)s`.
    case role(String)
    /// `rule:<name>`: the named rule passes.
    case rule(String)
    /// `<kind>:<match>`: the credential `kind` (dotted path) equals `match` after substitution;
    /// a quoted or `True`/`False`/number `kind` is a literal compared with the match instead.
    case generic(kind: String, match: String)
    case not(PolicyCheck)
    case and([PolicyCheck])
    case or([PolicyCheck])

    /// Names of every rule this check references through `rule:`.
    public var referencedRules: Set<String> {
        switch self {
        case .rule(let name): [name]
        case .not(let inner): inner.referencedRules
        case .and(let checks), .or(let checks): checks.reduce(into: []) { $0.formUnion($1.referencedRules) }
        case .always, .never, .role, .generic: []
        }
    }
}
