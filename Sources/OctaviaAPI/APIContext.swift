import Foundation
import Hummingbird
import Logging
import OctaviaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dependencies every controller shares, plus the helpers they all use.
struct APIContext: Sendable {
    let store: any Store
    let network: any NetworkDriver
    let options: APIOptions
    let logger: Logger

    static let maxBodySize = 1024 * 1024

    static let projectHeader = HeaderName("X-Project-Id")!

    /// The project a create is made for.
    ///
    /// Octavia in `noauth` mode takes the project from the `X-Project-Id` header (its noauth
    /// context treats every caller as admin, so the body may also name any project). The
    /// `openstack` CLI in noauth mode sends neither, and Octavia then stores a NULL project.
    /// We never store NULL: body `project_id`/`tenant_id` first, then `X-Project-Id`, then
    /// ``APIOptions/noauthDefaultProjectID``.
    func projectID(body: BodyReader, request: Request) throws -> ProjectID {
        if let fromBody = try body.projectID() { return ProjectID(fromBody) }
        if let header = request.headers[Self.projectHeader], !header.isEmpty { return ProjectID(header) }
        return ProjectID(options.noauthDefaultProjectID)
    }

    /// Reads and envelope-checks a JSON body.
    func body(_ request: Request, root: String, argument: String, allowed: Set<String>) async throws -> BodyReader {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBodySize)
        } catch {
            throw OctaviaError(.payloadTooLarge, "Request entity too large.")
        }
        return try BodyReader(Data(buffer: buffer), root: root, argument: argument, allowed: allowed)
    }

    /// A live (not DELETED) object or 404 `<Resource> <id> not found.`.
    func live<T: APIResource>(_ type: T.Type, _ id: String, on reader: (any StoreReading)? = nil) async throws -> T {
        guard let uuid = Identifier<T>(id),
              let object = try await (reader ?? store.reader).fetch(T.self, id: uuid.rawValue),
              object.apiStatus != .deleted
        else { throw OctaviaError.notFound(T.resourceName, id) }
        return object
    }

    /// Octavia's "lock the parent": the load balancer must be ACTIVE; it becomes PENDING_UPDATE.
    func lockLoadBalancer(_ tx: any StoreWriting, _ id: LoadBalancer.ID) async throws {
        guard try await tx.testAndSetStatus(id, expected: ProvisioningStatus.mutable, new: .pendingUpdate) else {
            throw OctaviaError.immutable(LoadBalancer.resourceName, id.rawValue)
        }
    }

    /// Sets every listener whose default pool is `pool` to PENDING_UPDATE.
    func markListeners(using pool: Pool.ID, _ tx: any StoreWriting) async throws {
        let listeners = try await tx.list(Listener.self, ListQuery(filters: [("default_pool_id", .string(pool.rawValue))]))
        for listener in listeners where listener.provisioningStatus != .deleted {
            try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .pendingUpdate, operating: nil)
        }
    }

    /// The pool must be ACTIVE for member and health-monitor writes (`Pool <id> is immutable...`).
    func requireActivePool(_ pool: Pool.ID, _ tx: any StoreWriting) async throws -> Pool {
        guard let current = try await tx.fetch(Pool.self, id: pool.rawValue), current.provisioningStatus != .deleted else {
            throw OctaviaError.notFound(Pool.resourceName, pool.rawValue)
        }
        guard current.provisioningStatus == .active else {
            throw OctaviaError.immutable(Pool.resourceName, pool.rawValue)
        }
        return current
    }

    /// Locks LB → pool's listeners → pool, as for member and health-monitor writes.
    func lockPoolChain(_ pool: Pool, _ tx: any StoreWriting) async throws {
        try await lockLoadBalancer(tx, pool.loadBalancerID)
        _ = try await requireActivePool(pool.id, tx)
        try await markListeners(using: pool.id, tx)
        try await tx.setStatus(Pool.self, id: pool.id.rawValue, provisioning: .pendingUpdate, operating: nil)
    }

    func listResponse<T: APIResource>(_ rows: [T], list: ListRequest, request: Request, render: (T) async throws -> JSONValue)
        async throws -> Response
    {
        var items: [JSONValue] = []
        for row in rows { items.append(list.select(try await render(row))) }
        let links = list.links(for: rows.map(\.apiID), request: request, baseURI: options.apiBaseURI)
        return JSONResponse.make(status: .ok, body: [T.plural: .array(items), "\(T.plural)_links": links])
    }

    /// GET one honours `fields=` too.
    static func fields(_ request: Request) -> [String] {
        request.uri.queryParameters.getAll("fields").flatMap { $0.split(separator: ",").map(String.init) }
    }

    static func single(_ key: String, _ object: JSONValue, status: HTTPResponse.Status = .ok, fields: [String] = [])
        -> Response
    {
        var object = object
        if !fields.isEmpty, case .object(let dict) = object { object = .object(dict.filter { fields.contains($0.key) }) }
        return JSONResponse.make(status: status, body: [key: object])
    }
}

/// Octavia's timestamp format: ISO-8601, seconds, UTC, no zone suffix (`2017-05-10T18:14:44`).
enum Timestamp {
    static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    static func json(_ date: Date?) -> JSONValue { date.map { .string(string($0)) } ?? .null }
}

extension JSONValue {
    /// Name/description render as "" when NULL.
    static func text(_ s: String?) -> JSONValue { .string(s ?? "") }
}
