import Foundation
import Hummingbird
import OctaviaCore

/// A parsed collection GET: filters, sort, `fields`, `limit`/`marker`/`page_reverse`
/// (Octavia's `PaginationHelper`).
struct ListRequest {
    var filters: [(column: String, value: StoredValue)] = []
    var tagFilters: [String: [String]] = [:]
    var sort: [(column: String, direction: SortDirection)] = []
    var fields: [String] = []
    var limit: Int?
    var marker: String?
    var pageReverse = false
    /// The `sort`/`sort_key` parameters as given, repeated in links.
    var linkSortParams: [String] = []

    static let invalidArguments = OctaviaError(.badRequest, "One or more arguments are either duplicate or invalid")
    static let tagParams: Set<String> = ["tags", "tags-any", "not-tags", "not-tags-any"]

    /// - Parameters:
    ///   - fixed: filters implied by the route (e.g. the pool of a member collection); their API
    ///     names are not accepted as query filters.
    init<T: APIResource>(_ request: Request, for type: T.Type, maxLimit: Int?, fixed: Set<String> = []) throws {
        var seen = Set<String>()
        var sortParam: [(key: String, direction: String)]?
        var sortKeys: [String] = []
        var sortDirs: [String] = []
        var requestedLimit: String?
        for (rawKey, rawValue) in request.uri.queryParameters {
            let key = String(rawKey)
            let value = String(rawValue)
            switch key {
            case "fields":
                fields += value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            case "limit": requestedLimit = value
            case "marker": marker = value
            case "page_reverse": pageReverse = value.lowercased() == "true"
            case "sort":
                linkSortParams.append("sort=\(value)")
                let parsed = Self.parseSort(value)
                if !parsed.isEmpty { sortParam = (sortParam ?? []) + parsed }
            case "sort_key":
                linkSortParams.append("sort_key=\(value)")
                sortKeys += Self.splitList(value)
            case "sort_dir":
                linkSortParams.append("sort_dir=\(value)")
                sortDirs += Self.splitList(value)
            case _ where Self.tagParams.contains(key):
                tagFilters[key, default: []] += value.split(separator: ",").map(String.init)
            default:
                guard !fixed.contains(key), let column = T.columns[key], column.kind != .sortOnly,
                      seen.insert(column.column).inserted
                else { throw Self.invalidArguments }
                filters.append((column.column, try Self.storedValue(value, column.kind)))
            }
        }
        // As Octavia: `sort` wins over `sort_key`/`sort_dir`; missing directions are `asc`, but a
        // direction without a key is a mistake, not something to guess about.
        let pairs: [(key: String, direction: String)]
        if let sortParam {
            pairs = sortParam
        } else {
            guard sortDirs.count <= sortKeys.count else {
                throw OctaviaError(.badRequest, "Supplied sort_dir has more directions than sort_key has keys.")
            }
            pairs = sortKeys.enumerated().map { ($1, $0 < sortDirs.count ? sortDirs[$0] : "asc") }
        }
        for (key, dirText) in pairs {
            guard let dir = SortDirection(rawValue: dirText.lowercased()) else {
                throw OctaviaError(.badRequest, "Supplied sort direction '\(dirText)' is not valid.")
            }
            guard let column = T.columns[key] else {
                throw OctaviaError(.badRequest, "Supplied sort key '\(key)' is not valid.")
            }
            sort.append((column.column, dir))
        }
        for column in ["created_at", "id"] where !sort.contains(where: { $0.column == column }) {
            sort.append((column, .asc))
        }
        if pageReverse {
            sort = sort.map { ($0.column, $0.direction == .asc ? .desc : .asc) }
        }
        limit = maxLimit
        if let requestedLimit, requestedLimit != "infinite" {
            let n = try Self.parseLimit(requestedLimit)
            if n >= 1 { limit = maxLimit.map { min($0, n) } ?? n }
        }
    }

    /// Comma-separated items, trimmed; empty items are kept (so `a,,b` names an invalid key `''`).
    /// An empty parameter means "not given", as in Octavia.
    static func splitList(_ value: String) -> [String] {
        guard !value.isEmpty else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// `k1:asc,k2,k3:desc`. Empty keys and directions are kept so they are reported, not dropped
    /// (`sort=:` is key `''`, `sort=name:` is direction `''`); a third `:` part is an invalid direction.
    static func parseSort(_ value: String) -> [(key: String, direction: String)] {
        splitList(value).map { part in
            let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pieces.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            let direction = pieces.count > 1 ? String(pieces[1]).trimmingCharacters(in: .whitespaces) : "asc"
            return (key, direction)
        }
    }

    /// A decimal integer; one too large for `Int` is clamped (Python's `int()` has no limit and the
    /// result is clamped to the maximum anyway). Anything else is a 400.
    static func parseLimit(_ text: String) throws -> Int {
        if let n = Int(text) { return n }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw OctaviaError(.badRequest, "Supplied pagination limit '\(text)' is not valid.")
        }
        return text.first == "-" ? Int.min : Int.max
    }

    static func storedValue(_ text: String, _ kind: ColumnKind) throws -> StoredValue {
        switch kind {
        case .string, .sortOnly: return .string(text)
        case .int:
            guard let i = Int(text) else { throw invalidArguments }
            return .int(i)
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes", "on", "t", "y": return .bool(true)
            case "false", "0", "no", "off", "f", "n": return .bool(false)
            default: throw invalidArguments
            }
        }
    }

    /// Tag filters (`tags`, `tags-any`, `not-tags`, `not-tags-any`), applied in memory.
    func matchesTags(_ tags: [String]) -> Bool {
        let have = Set(tags)
        if let all = tagFilters["tags"], !Set(all).isSubset(of: have) { return false }
        if let any = tagFilters["tags-any"], have.isDisjoint(with: any) { return false }
        if let notAll = tagFilters["not-tags"], Set(notAll).isSubset(of: have) { return false }
        if let none = tagFilters["not-tags-any"], !have.isDisjoint(with: none) { return false }
        return true
    }

    /// Runs the query in SQL: filters, DELETED exclusion, sort, marker (keyset) and limit, so a page
    /// costs the same however large the table. Tags live in a JSON column, so tag filters are tested
    /// here on SQL batches walked in sort order until the page is full: memory stays bounded.
    func run<T: APIResource>(_ type: T.Type, on reader: any StoreReading, extraFilters: [(column: String, value: StoredValue)] = [])
        async throws -> [T]
    {
        var filters = extraFilters + self.filters
        if let status = T.statusColumn { filters.append((status, .not(.string(ProvisioningStatus.deleted.rawValue)))) }
        var after: KeysetBound? = nil
        if let marker {
            // Octavia only requires the marker to exist; a filtered-out marker still places the page.
            guard try await reader.fetch(T.self, id: marker.lowercased()) != nil else {
                throw OctaviaError(.badRequest, "Supplied pagination marker '\(marker)' is not valid.")
            }
            after = KeysetBound(markerID: marker.lowercased())
        }
        guard !tagFilters.isEmpty else {
            return ordered(try await reader.list(T.self, ListQuery(filters: filters, sort: sort, limit: limit, after: after)))
        }
        let batchSize = 500
        var rows: [T] = []
        while true {
            let batch = try await reader.list(T.self, ListQuery(filters: filters, sort: sort, limit: batchSize, after: after))
            rows += batch.filter { matchesTags($0.apiTags) }
            if let limit, rows.count >= limit { return ordered(Array(rows.prefix(limit))) }
            guard batch.count == batchSize, let last = batch.last else { return ordered(rows) }
            after = KeysetBound(markerID: last.apiID)
        }
    }

    private func ordered<T>(_ rows: [T]) -> [T] { pageReverse ? rows.reversed() : rows }

    /// `fields=` selection on one rendered object.
    func select(_ object: JSONValue) -> JSONValue {
        guard !fields.isEmpty, case .object(let dict) = object else { return object }
        return .object(dict.filter { fields.contains($0.key) })
    }

    /// `<plural>_links`: `previous` when a marker was given, `next` when the page is full.
    func links(for ids: [String], request: Request, baseURI: String?) -> JSONValue {
        guard !ids.isEmpty, let limit else { return [] }
        let base = (baseURI.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? RequestURL.origin(request))
            + request.uri.path
        var common = ["limit=\(limit)"] + linkSortParams
        if !fields.isEmpty { common += fields.map { "fields=\($0)" } }
        var links: [JSONValue] = []
        if marker != nil {
            let attrs = common + ["marker=\(ids[0])", "page_reverse=True"]
            links.append(["href": .string(base + "?" + attrs.joined(separator: "&")), "rel": "previous"])
        }
        if ids.count >= limit {
            let attrs = common + ["marker=\(ids[ids.count - 1])"]
            links.append(["href": .string(base + "?" + attrs.joined(separator: "&")), "rel": "next"])
        }
        return .array(links)
    }
}

/// The URL a request came in on, for links.
enum RequestURL {
    /// `http://host:port`, from `X-Forwarded-Proto` and the Host header.
    static func origin(_ request: Request) -> String {
        let scheme = request.headers[HeaderName("X-Forwarded-Proto")!] ?? request.uri.scheme?.rawValue ?? "http"
        let host = request.head.authority ?? request.headers[HeaderName("Host")!] ?? request.uri.host ?? "localhost"
        return "\(scheme)://\(host)"
    }
}
