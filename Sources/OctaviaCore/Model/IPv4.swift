/// An IPv4 address as a 32-bit number, so pools and ranges can be counted, compared and stepped.
/// The one IPv4 type of the project: configuration, local IPAM and validation all use it.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Parses strict dotted-quad text (`10.0.0.1`: no leading zeros, no shorthand); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ ("0"..."9").contains($0) }),
                  let octet = UInt32(part), octet <= 255, part.count == 1 || part.first != "0" else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24 & 0xff).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 subnet in CIDR notation (`10.0.0.0/24`) with no host bits set, as Neutron requires.
public struct IPv4CIDR: Sendable, Hashable, CustomStringConvertible {
    public var network: IPv4Address
    public var prefixLength: Int

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// `prefixLength` is clamped to 0...32 so every derived value (mask, size, hosts) is defined.
    public init(network: IPv4Address, prefixLength: Int) {
        self.network = network
        self.prefixLength = min(max(prefixLength, 0), 32)
    }

    public init?(_ text: String) {
        guard case .success(let cidr) = Self.parse(text) else { return nil }
        self = cidr
    }

    /// Parses `a.b.c.d/n`; the failure says what is wrong.
    public static func parse(_ text: String) -> Result<IPv4CIDR, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              parts[1].allSatisfy({ ("0"..."9").contains($0) }), let prefix = Int(parts[1]), (0...32).contains(prefix)
        else {
            return .failure(ParseError(description: "'\(text)' is not an IPv4 CIDR like 10.0.0.0/24"))
        }
        let cidr = IPv4CIDR(network: IPv4Address(address.value & mask(prefix)), prefixLength: prefix)
        guard cidr.network == address else {
            return .failure(ParseError(description: "'\(text)' has host bits set (did you mean \(cidr)?)"))
        }
        return .success(cidr)
    }

    /// The netmask of `prefix`; out-of-range prefixes are clamped rather than trapping on the shift.
    static func mask(_ prefix: Int) -> UInt32 {
        if prefix <= 0 { return 0 }
        if prefix >= 32 { return .max }
        return UInt32.max << UInt32(32 - prefix)
    }

    /// `prefixLength` within 0...32 (it is a `var`, so it may have been set to anything).
    private var bits: Int { min(max(prefixLength, 0), 32) }
    /// The first address of the range, host bits cleared even if `network` was built with some.
    private var base: UInt32 { network.value & netmask }

    public var netmask: UInt32 { Self.mask(prefixLength) }
    /// The last address of the range (the broadcast address for prefixes up to /30).
    public var broadcast: IPv4Address { IPv4Address(base | ~netmask) }
    /// The first usable host address: the first address of the range for /31 and /32, where every
    /// address is a host (RFC 3021), so it never runs past the range.
    public var firstHost: IPv4Address { IPv4Address(bits >= 31 ? base : base + 1) }
    /// The last usable host address: the last address of the range for /31 and /32.
    public var lastHost: IPv4Address { bits >= 31 ? broadcast : IPv4Address(broadcast.value - 1) }

    /// Whether `address` is in the range, network and broadcast included.
    public func contains(_ address: IPv4Address) -> Bool { address.value & netmask == base }

    /// Whether `address` may be given to a host: inside the subnet and neither its network nor broadcast
    /// address (for /31 and /32 every address is usable, RFC 3021).
    public func isHost(_ address: IPv4Address) -> Bool {
        guard contains(address) else { return false }
        if bits >= 31 { return true }
        return address.value != base && address != broadcast
    }

    /// The `n`th host address (1 = first usable); nil for 0 and past the end.
    public func host(_ n: UInt32) -> IPv4Address? {
        guard n >= 1 else { return nil }
        // Offset from the network address, and how many hosts there are: every address for /31
        // and /32, all but network and broadcast otherwise. UInt64 so /0 (2^32 addresses) fits.
        let size = UInt64(1) << UInt64(32 - bits)
        let hosts = bits >= 31 ? size : size - 2
        guard UInt64(n) <= hosts else { return nil }
        let offset = bits >= 31 ? UInt64(n) - 1 : UInt64(n)
        return IPv4Address(base + UInt32(offset))
    }

    public func overlaps(_ other: IPv4CIDR) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        return network.value & Self.mask(shorter) == other.network.value & Self.mask(shorter)
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
