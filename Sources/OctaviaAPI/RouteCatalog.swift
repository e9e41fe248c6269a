import Hummingbird

/// What the router registered: each path template with the methods that have a real handler
/// (the others answer 405). The OpenAPI test compares this with `docs/openapi.json`.
final class RouteCatalog {
    /// One registered operation, path in OpenAPI form (`/v2/pools/{id}`).
    struct Operation: Hashable, Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method) \(path)" }
    }

    private(set) var operations: Set<Operation> = []

    func record(_ path: String, methods: [HTTPRequest.Method]) {
        let template = Self.openAPIPath(path)
        for method in methods { operations.insert(Operation(method: method.rawValue.lowercased(), path: template)) }
    }

    /// Hummingbird's `:name` segments become OpenAPI's `{name}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }
}
