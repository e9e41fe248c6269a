import Foundation
import OctaviaCore

/// A request field in the three states the API distinguishes: omitted (keep / default),
/// explicit `null` (clear / reset) or a value.
enum Field<T: Sendable>: Sendable {
    case absent
    case null
    case value(T)

    var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }

    var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    func map<U>(_ transform: (T) throws -> U) rethrows -> Field<U> {
        switch self {
        case .absent: return .absent
        case .null: return .null
        case .value(let v): return .value(try transform(v))
        }
    }
}

/// Strict, WSME-compatible reading of a request body `{"<root>": {...}}`.
///
/// WSME names the controller argument in its messages (`load_balancer`, `listener_`, ...), so each
/// resource passes its argument name along with the root key.
struct BodyReader {
    let argument: String
    let root: String
    let object: [String: JSONValue]

    /// Parses and checks the envelope and the attribute names; nothing else.
    init(_ data: Data, root: String, argument: String, allowed: Set<String>) throws {
        self.argument = argument
        self.root = root
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw OctaviaError(.badRequest, "Missing argument: \"\(argument)\"")
        }
        guard let document = JSONValue.parse(data) else {
            throw OctaviaError(.badRequest, "Request is not in valid JSON format")
        }
        guard case .object(let top) = document else {
            throw OctaviaError.invalidInput(argument, document.pythonDescription, "Value should be a JSON object")
        }
        let unknownRoot = Set(top.keys).subtracting([root])
        if !unknownRoot.isEmpty { throw Self.unknown(argument, unknownRoot) }
        guard let inner = top[root], inner != .null else {
            throw OctaviaError.invalidInput(root, "None", "Mandatory field missing.")
        }
        guard case .object(let fields) = inner else {
            throw OctaviaError.invalidInput(root, inner.pythonDescription, "Value should be a JSON object")
        }
        let unknown = Set(fields.keys).subtracting(allowed)
        if !unknown.isEmpty { throw Self.unknown("\(argument).\(root)", unknown) }
        self.object = fields
    }

    /// WSME's `UnknownAttribute` message.
    static func unknown(_ argument: String, _ names: Set<String>) -> OctaviaError {
        let plural = names.count > 1 ? "attributes" : "attribute"
        return OctaviaError(.badRequest, "Unknown \(plural) for argument \(argument): \(names.sorted().joined(separator: ", "))")
    }

    static func wrongType(_ key: String, _ value: JSONValue, expected: String) -> OctaviaError {
        .invalidInput(key, value.pythonDescription,
                      "Wrong type. Expected '<class '\(expected)'>', got '<class '\(value.pythonTypeName)'>'")
    }

    func raw(_ key: String) -> Field<JSONValue> {
        guard let v = object[key] else { return .absent }
        return v == .null ? .null : .value(v)
    }

    func string(_ key: String, max: Int = 255) throws -> Field<String> {
        try raw(key).map { v in
            guard case .string(let s) = v else { throw Self.wrongType(key, v, expected: "str") }
            if s.count > max {
                throw OctaviaError.invalidInput(key, s, "Value should have a maximum character requirement of \(max)")
            }
            return s
        }
    }

    func int(_ key: String, min: Int? = nil, max: Int? = nil) throws -> Field<Int> {
        try raw(key).map { v in
            guard case .int(let i) = v else { throw Self.wrongType(key, v, expected: "int") }
            if let min, i < min { throw OctaviaError.invalidInput(key, String(i), "Value should be greater or equal to \(min)") }
            if let max, i > max { throw OctaviaError.invalidInput(key, String(i), "Value should be lower or equal to \(max)") }
            return i
        }
    }

    /// WSME's bool conversion: JSON booleans, 0/1 and the usual true/false words.
    func bool(_ key: String) throws -> Field<Bool> {
        try raw(key).map { v in
            switch v {
            case .bool(let b): return b
            case .int(let i) where i == 0 || i == 1: return i == 1
            case .string(let s) where ["true", "1", "yes", "y", "on", "t"].contains(s.lowercased()): return true
            case .string(let s) where ["false", "0", "no", "n", "off", "f"].contains(s.lowercased()): return false
            default:
                throw OctaviaError.invalidInput(key, v.pythonDescription, "Value not an unambiguous boolean: \(v.pythonDescription)")
            }
        }
    }

    func uuid<Owner>(_ key: String, _ type: Identifier<Owner>.Type = Identifier<Owner>.self) throws -> Field<Identifier<Owner>> {
        try raw(key).map { v in
            guard case .string(let s) = v, let id = Identifier<Owner>(s) else {
                throw OctaviaError.invalidInput(key, v.pythonDescription, "Value should be UUID format")
            }
            return id
        }
    }

    /// A UUID kept as a string (Neutron ids in the model are strings).
    func uuidString(_ key: String) throws -> Field<String> {
        try uuid(key, Identifier<Network>.self).map(\.rawValue)
    }

    func enumValue<E: RawRepresentable & CaseIterable & Sendable>(_ key: String, _ type: E.Type) throws -> Field<E>
    where E.RawValue == String {
        try raw(key).map { v in
            guard case .string(let s) = v, let e = E(rawValue: s) else {
                let allowed = E.allCases.map(\.rawValue).sorted().joined(separator: ", ")
                throw OctaviaError.invalidInput(key, v.pythonDescription, "Value should be one of: \(allowed)")
            }
            return e
        }
    }

    func ipAddress(_ key: String) throws -> Field<String> {
        try raw(key).map { v in
            guard case .string(let s) = v, let ip = IPAddress(s) else {
                throw OctaviaError.invalidInput(key, v.pythonDescription, "Value should be IPv4 or IPv6 format")
            }
            return ip.description
        }
    }

    func stringList(_ key: String, itemMax: Int = 255) throws -> Field<[String]> {
        try raw(key).map { v in
            guard case .array(let items) = v else { throw Self.wrongType(key, v, expected: "list") }
            return try items.map { item in
                guard case .string(let s) = item else { throw Self.wrongType(key, item, expected: "str") }
                if s.count > itemMax {
                    throw OctaviaError.invalidInput(key, s, "Value should have a maximum character requirement of \(itemMax)")
                }
                return s
            }
        }
    }

    func dictionary(_ key: String) throws -> Field<[String: JSONValue]> {
        try raw(key).map { v in
            guard case .object(let o) = v else { throw Self.wrongType(key, v, expected: "dict") }
            return o
        }
    }

    /// Returns the value of a mandatory field or WSME's `Mandatory field missing.`.
    func required<T>(_ key: String, _ field: Field<T>) throws -> T {
        guard let v = field.value else { throw OctaviaError.invalidInput(key, "None", "Mandatory field missing.") }
        return v
    }

    /// Fields Octavia has but this implementation does not support yet: accepted only when
    /// omitted or equal to the default (`null`, `[]`, `{}`, `false`, or `allowed`).
    func rejectUnsupported(_ keys: [String], allowed: [String: JSONValue] = [:]) throws {
        for key in keys {
            guard let v = object[key] else { continue }
            switch v {
            case .null, .bool(false): continue
            case .array(let a) where a.isEmpty: continue
            case .object(let o) where o.isEmpty: continue
            default:
                if let ok = allowed[key], ok == v { continue }
                throw OctaviaError(.badRequest, "Validation failure: \(key) is not supported by this deployment yet.")
            }
        }
    }

    /// `project_id` or its legacy alias `tenant_id` from the body.
    func projectID() throws -> String? {
        let project = try string("project_id", max: 36).value
        let tenant = try string("tenant_id", max: 36).value
        return project ?? tenant
    }
}

extension JSONValue {
    /// Python type names, for WSME's `Wrong type` messages.
    var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}

extension BodyReader {
    /// A reader over a nested object (e.g. `session_persistence`), for its typed accessors.
    init(object: [String: JSONValue], argument: String, root: String) throws {
        self.argument = argument
        self.root = root
        self.object = object
    }
}
