import OctaviaCore

/// How a query-string value is typed for a column.
enum ColumnKind: Sendable {
    case string, int, bool
    /// Sortable but not filterable (timestamps).
    case sortOnly
}

/// A top-level API attribute usable in list filters and sort keys.
struct ListColumn: Sendable {
    var column: String
    var kind: ColumnKind
}

/// What the generic list/show code needs to know about a stored object type.
protocol APIResource: StoredObject {
    /// Octavia's resource name in messages (`Load Balancer`, `Listener`, ...).
    static var resourceName: String { get }
    static var singular: String { get }
    static var plural: String { get }
    /// API attribute name → column, for filters and sort keys.
    static var columns: [String: ListColumn] { get }
    var apiID: String { get }
    var apiStatus: ProvisioningStatus { get }
    var apiTags: [String] { get }
    /// The column holding the status whose DELETED value hides a row from the API; nil for
    /// catalog objects (flavors, quotas...) that are removed outright.
    static var statusColumn: String? { get }
}

extension APIResource {
    static var statusColumn: String? { "provisioning_status" }
}

private let common: [String: ListColumn] = [
    "id": .init(column: "id", kind: .string),
    "name": .init(column: "name", kind: .string),
    "project_id": .init(column: "project_id", kind: .string),
    "tenant_id": .init(column: "project_id", kind: .string),
    "provisioning_status": .init(column: "provisioning_status", kind: .string),
    "operating_status": .init(column: "operating_status", kind: .string),
    "admin_state_up": .init(column: "admin_state_up", kind: .bool),
    "created_at": .init(column: "created_at", kind: .sortOnly),
    "updated_at": .init(column: "updated_at", kind: .sortOnly),
]

/// The columns every status-carrying resource shares, plus its own; `excluding` drops common
/// ones the resource does not have (L7 rules have no name).
func makeColumns(_ extra: [String: ListColumn], excluding: Set<String> = []) -> [String: ListColumn] {
    common.filter { !excluding.contains($0.key) }.merging(extra) { $1 }
}

extension LoadBalancer: APIResource {
    static let resourceName = "Load Balancer"
    static let singular = "loadbalancer"
    static let plural = "loadbalancers"
    static let columns = makeColumns([
        "description": .init(column: "description", kind: .string),
        "vip_address": .init(column: "vip_address", kind: .string),
        "vip_port_id": .init(column: "vip_port_id", kind: .string),
        "vip_subnet_id": .init(column: "vip_subnet_id", kind: .string),
        "vip_network_id": .init(column: "vip_network_id", kind: .string),
        "vip_qos_policy_id": .init(column: "vip_qos_policy_id", kind: .string),
        "provider": .init(column: "provider", kind: .string),
        "flavor_id": .init(column: "flavor_id", kind: .string),
        "availability_zone": .init(column: "availability_zone", kind: .string),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}

extension Listener: APIResource {
    static let resourceName = "Listener"
    static let singular = "listener"
    static let plural = "listeners"
    static let columns = makeColumns([
        "description": .init(column: "description", kind: .string),
        "protocol": .init(column: "protocol", kind: .string),
        "protocol_port": .init(column: "protocol_port", kind: .int),
        "connection_limit": .init(column: "connection_limit", kind: .int),
        "default_pool_id": .init(column: "default_pool_id", kind: .string),
        "loadbalancer_id": .init(column: "load_balancer_id", kind: .string),
        "timeout_client_data": .init(column: "timeout_client_data", kind: .int),
        "timeout_member_connect": .init(column: "timeout_member_connect", kind: .int),
        "timeout_member_data": .init(column: "timeout_member_data", kind: .int),
        "timeout_tcp_inspect": .init(column: "timeout_tcp_inspect", kind: .int),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}

extension Pool: APIResource {
    static let resourceName = "Pool"
    static let singular = "pool"
    static let plural = "pools"
    static let columns = makeColumns([
        "description": .init(column: "description", kind: .string),
        "protocol": .init(column: "protocol", kind: .string),
        "lb_algorithm": .init(column: "lb_algorithm", kind: .string),
        "loadbalancer_id": .init(column: "load_balancer_id", kind: .string),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}

extension Member: APIResource {
    static let resourceName = "Member"
    static let singular = "member"
    static let plural = "members"
    static let columns = makeColumns([
        "address": .init(column: "address", kind: .string),
        "protocol_port": .init(column: "protocol_port", kind: .int),
        "weight": .init(column: "weight", kind: .int),
        "backup": .init(column: "backup", kind: .bool),
        "subnet_id": .init(column: "subnet_id", kind: .string),
        "monitor_address": .init(column: "monitor_address", kind: .string),
        "monitor_port": .init(column: "monitor_port", kind: .int),
        "pool_id": .init(column: "pool_id", kind: .string),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}

extension HealthMonitor: APIResource {
    static let resourceName = "Health Monitor"
    static let singular = "healthmonitor"
    static let plural = "healthmonitors"
    static let columns = makeColumns([
        "type": .init(column: "type", kind: .string),
        "delay": .init(column: "delay", kind: .int),
        "timeout": .init(column: "timeout", kind: .int),
        "max_retries": .init(column: "max_retries", kind: .int),
        "max_retries_down": .init(column: "max_retries_down", kind: .int),
        "http_method": .init(column: "http_method", kind: .string),
        "url_path": .init(column: "url_path", kind: .string),
        "expected_codes": .init(column: "expected_codes", kind: .string),
        "domain_name": .init(column: "domain_name", kind: .string),
        "pool_id": .init(column: "pool_id", kind: .string),
    ])
    var apiID: String { id.rawValue }
    var apiStatus: ProvisioningStatus { provisioningStatus }
    var apiTags: [String] { tags.value }
}
