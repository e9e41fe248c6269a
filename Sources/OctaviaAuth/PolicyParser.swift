/// Parses oslo.policy check strings.
///
/// Same tokenising as oslo.policy (`_parse_tokenize`: whitespace-separated tokens, leading `(`
/// and trailing `)` split off, `and`/`or`/`not` case-insensitive) and the same precedence
/// (`not` > `and` > `or`). Where oslo.policy logs and turns a bad rule into "never passes",
/// we reject it so the operator sees the mistake at start-up.
public enum PolicyParser {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var rule: String
        public var reason: String
        public var description: String { "cannot parse policy rule '\(rule)': \(reason)" }
    }

    enum Token: Equatable {
        case open, close, and, or, not
        case check(PolicyCheck)
    }

    /// - Throws: ``ParseError`` for unbalanced parentheses, a dangling operator, a quoted
    ///   string where a check belongs, or a check without `kind:`.
    public static func parse(_ text: String) throws(ParseError) -> PolicyCheck {
        let tokens = try tokenize(text)
        if tokens.isEmpty { return .always }
        var parser = Parser(tokens: tokens, text: text)
        let check = try parser.orExpression()
        guard parser.position == tokens.count else { throw ParseError(rule: text, reason: "unexpected '\(parser.describe(parser.position))'") }
        return check
    }

    static func tokenize(_ text: String) throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        for raw in text.split(whereSeparator: \.isWhitespace) {
            var token = Substring(raw)
            while token.first == "(" { tokens.append(.open); token = token.dropFirst() }
            guard !token.isEmpty else { continue }
            var trailing = 0
            while token.last == ")" { trailing += 1; token = token.dropLast() }
            switch token.lowercased() {
            case "and": tokens.append(.and)
            case "or": tokens.append(.or)
            case "not": tokens.append(.not)
            case "": break
            default:
                if token.count >= 2, let first = token.first, first == "\"" || first == "'", token.last == first {
                    throw ParseError(rule: text, reason: "quoted string \(token) where a check was expected")
                }
                tokens.append(.check(try check(String(token), in: text)))
            }
            tokens += Array(repeating: .close, count: trailing)
        }
        return tokens
    }

    /// One `kind:match` token (or `@` / `!`).
    static func check(_ token: String, in text: String) throws(ParseError) -> PolicyCheck {
        if token == "@" { return .always }
        if token == "!" { return .never }
        guard let colon = token.firstIndex(of: ":") else {
            throw ParseError(rule: text, reason: "'\(token)' is not a check (expected kind:match, @ or !)")
        }
        let kind = String(token[..<colon])
        let match = String(token[token.index(after: colon)...])
        switch kind {
        case "rule": return .rule(match)
        case "role": return .role(match)
        case "http", "https":
            throw ParseError(rule: text, reason: "remote '\(kind):' checks are not supported")
        case "": throw ParseError(rule: text, reason: "'\(token)' has an empty kind")
        default: return .generic(kind: kind, match: match)
        }
    }

    struct Parser {
        let tokens: [Token]
        let text: String
        var position = 0

        func describe(_ index: Int) -> String {
            guard index < tokens.count else { return "end of rule" }
            switch tokens[index] {
            case .open: return "("
            case .close: return ")"
            case .and: return "and"
            case .or: return "or"
            case .not: return "not"
            case .check: return "check"
            }
        }

        mutating func orExpression() throws(ParseError) -> PolicyCheck {
            var terms = [try andExpression()]
            while position < tokens.count, tokens[position] == .or {
                position += 1
                terms.append(try andExpression())
            }
            return terms.count == 1 ? terms[0] : .or(terms)
        }

        mutating func andExpression() throws(ParseError) -> PolicyCheck {
            var terms = [try unary()]
            while position < tokens.count, tokens[position] == .and {
                position += 1
                terms.append(try unary())
            }
            return terms.count == 1 ? terms[0] : .and(terms)
        }

        mutating func unary() throws(ParseError) -> PolicyCheck {
            guard position < tokens.count else { throw ParseError(rule: text, reason: "unexpected end of rule") }
            switch tokens[position] {
            case .not:
                position += 1
                return .not(try unary())
            case .open:
                position += 1
                let inner = try orExpression()
                guard position < tokens.count, tokens[position] == .close else {
                    throw ParseError(rule: text, reason: "missing ')' (found \(describe(position)))")
                }
                position += 1
                return inner
            case .check(let check):
                position += 1
                return check
            case .close, .and, .or:
                throw ParseError(rule: text, reason: "unexpected '\(describe(position))'")
            }
        }
    }
}
