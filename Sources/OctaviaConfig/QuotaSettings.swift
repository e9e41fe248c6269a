/// `[quotas]`: per-project default quotas; -1 means unlimited.
public struct QuotaSettings: SettingsSection {
    /// `default_load_balancer_quota` (int ≥ -1, default -1).
    public var defaultLoadBalancerQuota: Int
    /// `default_listener_quota` (int ≥ -1, default -1).
    public var defaultListenerQuota: Int
    /// `default_member_quota` (int ≥ -1, default -1).
    public var defaultMemberQuota: Int
    /// `default_pool_quota` (int ≥ -1, default -1).
    public var defaultPoolQuota: Int
    /// `default_health_monitor_quota` (int ≥ -1, default -1).
    public var defaultHealthMonitorQuota: Int
    /// `default_l7policy_quota` (int ≥ -1, default -1).
    public var defaultL7PolicyQuota: Int
    /// `default_l7rule_quota` (int ≥ -1, default -1).
    public var defaultL7RuleQuota: Int

    public enum Option {
        static func quota(_ name: String, _ what: String) -> ConfigOption<Int> {
            .integer(name, default: -1, min: -1, help: "Default per project \(what) quota. -1 means unlimited.")
        }
        public static let defaultLoadBalancerQuota = quota("default_load_balancer_quota", "load balancer")
        public static let defaultListenerQuota = quota("default_listener_quota", "listener")
        public static let defaultMemberQuota = quota("default_member_quota", "member")
        public static let defaultPoolQuota = quota("default_pool_quota", "pool")
        public static let defaultHealthMonitorQuota = quota("default_health_monitor_quota", "health monitor")
        public static let defaultL7PolicyQuota = quota("default_l7policy_quota", "l7policy")
        public static let defaultL7RuleQuota = quota("default_l7rule_quota", "l7rule")
    }

    public static let sectionName = "quotas"
    public static let sectionHelp = "Default quotas for projects without explicit ones."
    public static let options = [
        Option.defaultLoadBalancerQuota.descriptor, Option.defaultListenerQuota.descriptor,
        Option.defaultMemberQuota.descriptor, Option.defaultPoolQuota.descriptor,
        Option.defaultHealthMonitorQuota.descriptor, Option.defaultL7PolicyQuota.descriptor,
        Option.defaultL7RuleQuota.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        defaultLoadBalancerQuota = try reader(Option.defaultLoadBalancerQuota)
        defaultListenerQuota = try reader(Option.defaultListenerQuota)
        defaultMemberQuota = try reader(Option.defaultMemberQuota)
        defaultPoolQuota = try reader(Option.defaultPoolQuota)
        defaultHealthMonitorQuota = try reader(Option.defaultHealthMonitorQuota)
        defaultL7PolicyQuota = try reader(Option.defaultL7PolicyQuota)
        defaultL7RuleQuota = try reader(Option.defaultL7RuleQuota)
    }
}
