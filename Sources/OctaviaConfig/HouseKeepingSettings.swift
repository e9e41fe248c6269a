/// `[house_keeping]`: purging old DELETED rows and rotating amphora certificates.
public struct HouseKeepingSettings: SettingsSection {
    /// `cleanup_interval` (int s ≥ 1, default 30): how often DELETED rows are purged.
    public var cleanupInterval: Int
    /// `amphora_expiry_age` (int s ≥ 0, default 604800): age after which DELETED amphorae are purged.
    public var amphoraExpiryAge: Int
    /// `load_balancer_expiry_age` (int s ≥ 0, default 604800): same for load balancers.
    public var loadBalancerExpiryAge: Int
    /// `cert_interval` (int s ≥ 1, default 3600): how often expiring certificates are looked for.
    public var certInterval: Int
    /// `cert_expiry_buffer` (int s ≥ 0, default 1209600): rotate certificates expiring within this time.
    public var certExpiryBuffer: Int
    /// `cert_rotate_threads` (int ≥ 1, default 10): concurrent rotations.
    public var certRotateThreads: Int

    public enum Option {
        public static let cleanupInterval: ConfigOption<Int> = .integer(
            "cleanup_interval", default: 30, min: 1, help: "DB cleanup interval in seconds.")
        public static let amphoraExpiryAge: ConfigOption<Int> = .integer(
            "amphora_expiry_age", default: 604800, min: 0, help: "Amphora expiry age in seconds.")
        public static let loadBalancerExpiryAge: ConfigOption<Int> = .integer(
            "load_balancer_expiry_age", default: 604800, min: 0, help: "Load balancer expiry age in seconds.")
        public static let certInterval: ConfigOption<Int> = .integer(
            "cert_interval", default: 3600, min: 1, help: "Certificate check interval in seconds.")
        public static let certExpiryBuffer: ConfigOption<Int> = .integer(
            "cert_expiry_buffer", default: 1209600, min: 0, help: "Seconds until certificate expiration.")
        public static let certRotateThreads: ConfigOption<Int> = .integer(
            "cert_rotate_threads", default: 10, min: 1, help: "Number of threads performing amphora certificate rotation.")
    }

    public static let sectionName = "house_keeping"
    public static let sectionHelp = "Housekeeping: purge of old DELETED rows, amphora certificate rotation."
    public static let options = [
        Option.cleanupInterval.descriptor, Option.amphoraExpiryAge.descriptor,
        Option.loadBalancerExpiryAge.descriptor, Option.certInterval.descriptor,
        Option.certExpiryBuffer.descriptor, Option.certRotateThreads.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        cleanupInterval = try reader(Option.cleanupInterval)
        amphoraExpiryAge = try reader(Option.amphoraExpiryAge)
        loadBalancerExpiryAge = try reader(Option.loadBalancerExpiryAge)
        certInterval = try reader(Option.certInterval)
        certExpiryBuffer = try reader(Option.certExpiryBuffer)
        certRotateThreads = try reader(Option.certRotateThreads)
    }
}
