// Status strings in a heartbeat come straight from HAProxy `show stat` (or ipvsadm for LVS), so the
// set is open: these types name the values Octavia acts on and keep any other string verbatim.

/// A listener's (HAProxy frontend's) status in a heartbeat.
public struct HeartbeatListenerStatus: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let open: Self = "OPEN"
    public static let full: Self = "FULL"
    public static let down: Self = "DOWN"
}

/// A pool's (HAProxy backend's) status in a heartbeat.
public struct HeartbeatPoolStatus: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let up: Self = "UP"
    public static let down: Self = "DOWN"
}

/// A member's (HAProxy server's) status in a heartbeat; transitional values such as `UP 1/3` or
/// `DOWN 1/2` pass through unchanged.
public struct HeartbeatMemberStatus: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let up: Self = "UP"
    public static let down: Self = "DOWN"
    public static let maintenance: Self = "MAINT"
    /// `UP` with weight 0, as the amphora reports it.
    public static let drain: Self = "DRAIN"
    /// Server without health checks.
    public static let noCheck: Self = "no check"
}
