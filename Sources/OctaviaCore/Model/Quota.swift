import Foundation

/// The objects a project's quota limits, with Octavia's names for messages.
public enum QuotaResource: String, Sendable, CaseIterable, Codable {
    case loadBalancer = "load_balancer"
    case listener
    case pool
    case healthMonitor = "health_monitor"
    case member
    case l7Policy = "l7policy"
    case l7Rule = "l7rule"

    /// As in `Quota has been met for resources: <name>` (Octavia's data-model `_name()`).
    public var displayName: String {
        switch self {
        case .loadBalancer: return "Load Balancer"
        case .listener: return "Listener"
        case .pool: return "Pool"
        case .healthMonitor: return "Health Monitor"
        case .member: return "Member"
        case .l7Policy: return "L7 Policy"
        case .l7Rule: return "L7 Rule"
        }
    }
}

/// Limits per resource: `nil` = use the `[quotas]` default, `-1` = unlimited.
public struct QuotaLimits: Codable, Sendable, Equatable {
    public var loadBalancer: Int?
    public var listener: Int?
    public var pool: Int?
    public var healthMonitor: Int?
    public var member: Int?
    public var l7Policy: Int?
    public var l7Rule: Int?

    public init(loadBalancer: Int? = nil, listener: Int? = nil, pool: Int? = nil, healthMonitor: Int? = nil,
                member: Int? = nil, l7Policy: Int? = nil, l7Rule: Int? = nil) {
        self.loadBalancer = loadBalancer; self.listener = listener; self.pool = pool
        self.healthMonitor = healthMonitor; self.member = member; self.l7Policy = l7Policy; self.l7Rule = l7Rule
    }

    /// Octavia's defaults: everything unlimited.
    public static let unlimited = QuotaLimits(loadBalancer: -1, listener: -1, pool: -1, healthMonitor: -1, member: -1,
                                              l7Policy: -1, l7Rule: -1)

    public subscript(_ resource: QuotaResource) -> Int? {
        get {
            switch resource {
            case .loadBalancer: return loadBalancer
            case .listener: return listener
            case .pool: return pool
            case .healthMonitor: return healthMonitor
            case .member: return member
            case .l7Policy: return l7Policy
            case .l7Rule: return l7Rule
            }
        }
        set {
            switch resource {
            case .loadBalancer: loadBalancer = newValue
            case .listener: listener = newValue
            case .pool: pool = newValue
            case .healthMonitor: healthMonitor = newValue
            case .member: member = newValue
            case .l7Policy: l7Policy = newValue
            case .l7Rule: l7Rule = newValue
            }
        }
    }

    /// Unset values replaced by `defaults`.
    public func filled(from defaults: QuotaLimits) -> QuotaLimits {
        var result = self
        for resource in QuotaResource.allCases where result[resource] == nil { result[resource] = defaults[resource] }
        return result
    }

    enum CodingKeys: String, CodingKey {
        case listener, pool, member
        case loadBalancer = "load_balancer", healthMonitor = "health_monitor", l7Policy = "l7policy", l7Rule = "l7rule"
    }
}

/// A project's quota row. Octavia keys it by project; the project id is stored in the table's key
/// column `id` so the generic store can fetch it. Each limit is its own nullable column.
public struct Quota: Codable, Sendable, Equatable {
    public var projectID: ProjectID
    public var loadBalancer: Int?
    public var listener: Int?
    public var pool: Int?
    public var healthMonitor: Int?
    public var member: Int?
    public var l7Policy: Int?
    public var l7Rule: Int?
    public var createdAt: Date

    public init(projectID: ProjectID, limits: QuotaLimits = QuotaLimits(), createdAt: Date = Date()) {
        self.projectID = projectID; self.createdAt = createdAt
        self.limits = limits
    }

    /// The limits as one value (`nil` = config default).
    public var limits: QuotaLimits {
        get {
            QuotaLimits(loadBalancer: loadBalancer, listener: listener, pool: pool, healthMonitor: healthMonitor,
                        member: member, l7Policy: l7Policy, l7Rule: l7Rule)
        }
        set {
            loadBalancer = newValue.loadBalancer; listener = newValue.listener; pool = newValue.pool
            healthMonitor = newValue.healthMonitor; member = newValue.member; l7Policy = newValue.l7Policy
            l7Rule = newValue.l7Rule
        }
    }

    enum CodingKeys: String, CodingKey {
        case listener, pool, member
        case projectID = "id", loadBalancer = "load_balancer", healthMonitor = "health_monitor"
        case l7Policy = "l7policy", l7Rule = "l7rule", createdAt = "created_at"
    }
}

extension Quota: StoredObject {
    public static let table = "quota"
    public var storageID: String { projectID.rawValue }
}
