import Foundation

/// A value in a filter, dialect-neutral. Plain values compare for equality; `.in` matches any of
/// a list and `.not` negates (`.not(.string("DELETED"))`, `.not(.null)`).
public indirect enum StoredValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case `in`([StoredValue])
    case not(StoredValue)
}

/// "Rows after the marker row" in the query's sort order: keyset paging without OFFSET, so a page
/// costs the same however deep it is. The marker's sort values are read by the database itself
/// (a sub-select per column), so they compare with the column's own type.
public struct KeysetBound: Sendable {
    public var markerID: String

    public init(markerID: String) { self.markerID = markerID }
}

public enum SortDirection: String, Sendable { case asc, desc }

/// A list query done in SQL: equality filters, sort keys, limit and marker.
public struct ListQuery: Sendable {
    /// column → value; all AND-ed.
    public var filters: [(column: String, value: StoredValue)]
    public var sort: [(column: String, direction: SortDirection)]
    public var limit: Int?
    /// Only rows strictly after this bound in `sort` order.
    public var after: KeysetBound?

    public init(filters: [(column: String, value: StoredValue)] = [], sort: [(column: String, direction: SortDirection)] = [],
                limit: Int? = nil, after: KeysetBound? = nil) {
        self.filters = filters; self.sort = sort; self.limit = limit; self.after = after
    }
}

/// A row type the store can keep: one table, keyed by `id`.
public protocol StoredObject: Codable, Sendable {
    static var table: String { get }
    var storageID: String { get }
}

extension LoadBalancer: StoredObject {
    public static let table = "load_balancer"
    public var storageID: String { id.rawValue }
}
extension Listener: StoredObject {
    public static let table = "listener"
    public var storageID: String { id.rawValue }
}
extension Pool: StoredObject {
    public static let table = "pool"
    public var storageID: String { id.rawValue }
}
extension Member: StoredObject {
    public static let table = "member"
    public var storageID: String { id.rawValue }
}
extension HealthMonitor: StoredObject {
    public static let table = "health_monitor"
    public var storageID: String { id.rawValue }
}
extension Amphora: StoredObject {
    public static let table = "amphora"
    public var storageID: String { id.rawValue }
}
extension NetworkPort: StoredObject {
    public static let table = "port"
    public var storageID: String { id }
}

/// Reads. Outside a transaction they see committed data only.
public protocol StoreReading: Sendable {
    func fetch<T: StoredObject>(_ type: T.Type, id: String) async throws -> T?
    func list<T: StoredObject>(_ type: T.Type, _ query: ListQuery) async throws -> [T]
    func count<T: StoredObject>(_ type: T.Type, _ query: ListQuery) async throws -> Int
}

/// Writes, always inside one transaction.
public protocol StoreWriting: StoreReading {
    func insert<T: StoredObject>(_ object: T) async throws
    /// Replaces every column of the row with `object`'s values.
    func update<T: StoredObject>(_ object: T) async throws
    func delete<T: StoredObject>(_ type: T.Type, id: String) async throws
    /// Compare-and-set on a load balancer's provisioning status (Octavia's `test_and_set_provisioning_status`).
    /// Returns false, changing nothing, when the current status is not in `expected`.
    func testAndSetStatus(_ id: LoadBalancer.ID, expected: Set<ProvisioningStatus>, new: ProvisioningStatus) async throws -> Bool
    /// Sets provisioning status (and optionally operating status) on any object row.
    func setStatus<T: StoredObject>(_ type: T.Type, id: String, provisioning: ProvisioningStatus?, operating: OperatingStatus?) async throws
    /// Adds a job for the worker; it becomes visible when the transaction commits.
    func enqueue(_ action: JobAction) async throws
    /// Removes a job in the same transaction as its final status change, so a worker that dies
    /// right after can never run the job again over a newer request's lock.
    func removeJob(_ id: Job.ID) async throws
}

/// The database. SQLite (embedded) or PostgreSQL (many controllers).
public protocol Store: Sendable {
    var reader: any StoreReading { get }
    var jobs: any JobQueue { get }
    /// Runs `body` in one transaction; rolls back if it throws.
    func write<T: Sendable>(_ body: @Sendable (any StoreWriting) async throws -> T) async throws -> T
}

extension StoreReading {
    public func fetch<T: StoredObject>(_ type: T.Type, id: Identifier<T>) async throws -> T? {
        try await fetch(type, id: id.rawValue)
    }

    /// Every object of a load balancer, for rendering and flows.
    public func graph(_ id: LoadBalancer.ID) async throws -> LoadBalancerGraph? {
        guard let lb = try await fetch(LoadBalancer.self, id: id.rawValue), lb.provisioningStatus != .deleted else {
            return nil
        }
        let byLB = ListQuery(filters: [("load_balancer_id", .string(id.rawValue))], sort: [("created_at", .asc), ("id", .asc)])
        let listeners = try await list(Listener.self, byLB)
        let pools = try await list(Pool.self, byLB)
        var members: [Member] = []
        var monitors: [HealthMonitor] = []
        for pool in pools {
            let byPool = ListQuery(filters: [("pool_id", .string(pool.id.rawValue))], sort: [("created_at", .asc), ("id", .asc)])
            members += try await list(Member.self, byPool)
            monitors += try await list(HealthMonitor.self, byPool)
        }
        var policies: [L7Policy] = []
        var rules: [L7Rule] = []
        for listener in listeners {
            let byListener = ListQuery(filters: [("listener_id", .string(listener.id.rawValue))], sort: [("position", .asc), ("id", .asc)])
            for policy in try await list(L7Policy.self, byListener) {
                policies.append(policy)
                let byPolicy = ListQuery(filters: [("l7policy_id", .string(policy.id.rawValue))], sort: [("created_at", .asc), ("id", .asc)])
                rules += try await list(L7Rule.self, byPolicy)
            }
        }
        let amphorae = try await list(Amphora.self, byLB).filter { $0.status != .deleted }
        return LoadBalancerGraph(loadBalancer: lb, listeners: listeners, pools: pools, members: members,
                                 healthMonitors: monitors, amphorae: amphorae, l7Policies: policies, l7Rules: rules)
    }
}
