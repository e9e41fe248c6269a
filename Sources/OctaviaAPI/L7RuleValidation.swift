import Foundation
import OctaviaCore

/// Octavia's `validate.l7rule_data`: type × key × compare type × value (validation.md §7).
/// Every failure is 400 `Error parsing L7Rule: <reason>`.
enum L7RuleValidation {
    /// HTTP token characters (header and cookie names). Octavia's pattern `+-.` is a range, so `,` is in too.
    static let tokenCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+,-.^_`|~")
    /// Cookie value characters: visible ASCII without `"`, `;`, `\` and space.
    static let cookieValueCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'()*+,-./:<=>?@[]^_`{|}~")

    /// HOST_NAME, PATH and FILE_TYPE ignore `key` (it is stored as null).
    static func usesKey(_ type: L7RuleType) -> Bool {
        switch type {
        case .hostName, .path, .fileType: false
        default: true
        }
    }

    static func failure(_ reason: String) -> OctaviaError {
        OctaviaError(.badRequest, "Error parsing L7Rule: \(reason)")
    }

    static func invalidRule(_ reason: String) -> OctaviaError { failure("Invalid L7 Rule: \(reason)") }

    static func check(type: L7RuleType, compareType: L7RuleCompareType, key: String?, value: String) throws {
        guard !value.isEmpty else { throw invalidRule("L7 rule type requires a value") }
        let wrongCompare = invalidRule("invalid comparison type for rule type")
        switch type {
        case .header, .cookie:
            guard let key, !key.isEmpty else { throw invalidRule("L7 rule type requires a key") }
            guard key.allSatisfy(tokenCharacters.contains) else { throw failure("Invalid characters in key") }
            if compareType == .regex {
                try checkRegex(value)
            } else if type == .header {
                guard isHeaderValue(value) else { throw failure("Invalid characters in header value") }
            } else {
                guard value.allSatisfy(cookieValueCharacters.contains) else { throw failure("Invalid characters in cookie value") }
            }
        case .hostName, .path:
            if compareType == .regex {
                try checkRegex(value)
            } else {
                guard isHeaderValue(value) else { throw failure("Invalid characters in comparison value") }
            }
        case .fileType:
            switch compareType {
            case .regex: try checkRegex(value)
            case .equalTo: guard isHeaderValue(value) else { throw failure("Invalid characters in comparison value") }
            default: throw wrongCompare
            }
        case .sslConnHasCert:
            if let key, !key.isEmpty { throw invalidRule("L7rule type \(type.rawValue) does not use the \"key\" field.") }
            guard value.lowercased() == "true" else { throw invalidRule("L7rule value \(value) is not a boolean True string.") }
            guard compareType == .equalTo else { throw invalidRule("L7rule type \(type.rawValue) only supports the EQUAL_TO compare type.") }
        case .sslVerifyResult:
            if let key, !key.isEmpty { throw invalidRule("L7rule type \(type.rawValue) does not use the \"key\" field.") }
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw invalidRule("L7rule type \(type.rawValue) needs a int value, which is >= 0")
            }
            guard compareType == .equalTo else { throw invalidRule("L7rule type \(type.rawValue) only supports the EQUAL_TO compare type.") }
        case .sslDNField:
            if compareType == .regex { try checkRegex(value) }
            guard let key, !key.isEmpty else { throw invalidRule("L7rule type \(type.rawValue) needs to specify a key and a value.") }
            guard key.range(of: "^[a-zA-Z][A-Za-z0-9-]*$", options: .regularExpression) != nil else {
                throw invalidRule("Invalid L7rule distinguished name field.")
            }
        }
    }

    /// RFC 7230 field value: visible ASCII, or a double-quoted string that may also hold spaces and tabs.
    static func isHeaderValue(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        if !scalars.isEmpty, scalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) { return true }
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return false }
        return scalars.dropFirst().dropLast().allSatisfy { (0x20...0x7E).contains($0.value) || $0 == "\t" }
    }

    static func checkRegex(_ pattern: String) throws {
        do { _ = try NSRegularExpression(pattern: pattern) } catch {
            throw failure("Unable to parse regular expression: \(error.localizedDescription)")
        }
    }
}
