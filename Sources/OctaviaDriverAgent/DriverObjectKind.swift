import OctaviaCore

/// The object collections of octavia-lib's driver protocol (`loadbalancers`, `listeners`…), with
/// the row type each names and the fields of its octavia-lib provider data model.
enum DriverObjectKind: String, CaseIterable, Sendable {
    case loadbalancers, listeners, pools, members, healthmonitors, l7policies, l7rules

    /// Octavia's order for one status message: children before parents, so a parent's DELETED
    /// never meets rows it still owns.
    static let statusOrder: [DriverObjectKind] = [.members, .healthmonitors, .pools, .l7rules, .l7policies, .listeners, .loadbalancers]

    var rowType: any StoredObject.Type {
        switch self {
        case .loadbalancers: LoadBalancer.self
        case .listeners: Listener.self
        case .pools: Pool.self
        case .members: Member.self
        case .healthmonitors: HealthMonitor.self
        case .l7policies: L7Policy.self
        case .l7rules: L7Rule.self
        }
    }

    /// The provider model names its own id `<object>_id`.
    var idKey: String {
        switch self {
        case .loadbalancers: "loadbalancer_id"
        case .listeners: "listener_id"
        case .pools: "pool_id"
        case .members: "member_id"
        case .healthmonitors: "healthmonitor_id"
        case .l7policies: "l7policy_id"
        case .l7rules: "l7rule_id"
        }
    }

    /// Keys of the octavia-lib data model that our rows carry (its `from_dict` rejects any other key).
    var providerFields: Set<String> {
        switch self {
        case .loadbalancers:
            ["admin_state_up", "description", "loadbalancer_id", "name", "project_id", "vip_address", "vip_network_id",
             "vip_port_id", "vip_subnet_id", "vip_qos_policy_id"]
        case .listeners:
            ["admin_state_up", "connection_limit", "default_pool_id", "default_tls_container_ref", "description",
             "insert_headers", "listener_id", "loadbalancer_id", "name", "protocol", "protocol_port", "sni_container_refs",
             "timeout_client_data", "timeout_member_connect", "timeout_member_data", "timeout_tcp_inspect",
             "client_ca_tls_container_ref", "client_authentication", "client_crl_container_ref", "project_id",
             "allowed_cidrs", "tls_versions", "tls_ciphers", "alpn_protocols", "hsts_max_age", "hsts_include_subdomains",
             "hsts_preload"]
        case .pools:
            ["admin_state_up", "description", "lb_algorithm", "loadbalancer_id", "name", "pool_id", "listener_id",
             "protocol", "session_persistence", "tls_container_ref", "ca_tls_container_ref", "crl_container_ref",
             "tls_enabled", "project_id", "tls_versions", "tls_ciphers", "alpn_protocols"]
        case .members:
            ["address", "admin_state_up", "member_id", "monitor_address", "monitor_port", "name", "pool_id",
             "protocol_port", "subnet_id", "weight", "backup", "project_id", "vnic_type"]
        case .healthmonitors:
            ["admin_state_up", "delay", "expected_codes", "healthmonitor_id", "http_method", "max_retries",
             "max_retries_down", "name", "pool_id", "timeout", "type", "url_path", "http_version", "domain_name",
             "project_id"]
        case .l7policies:
            ["action", "admin_state_up", "description", "l7policy_id", "listener_id", "name", "position",
             "redirect_pool_id", "redirect_url", "redirect_prefix", "redirect_http_code", "project_id"]
        case .l7rules:
            ["admin_state_up", "compare_type", "invert", "key", "l7policy_id", "l7rule_id", "type", "value", "project_id"]
        }
    }
}
