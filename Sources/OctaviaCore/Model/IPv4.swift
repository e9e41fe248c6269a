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

    public init(network: IPv4Address, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
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

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    public var netmask: UInt32 { Self.mask(prefixLength) }
    /// The last address of the range (the broadcast address for prefixes up to /30).
    public var broadcast: IPv4Address { IPv4Address(network.value | ~netmask) }
    /// The first usable host address.
    public var firstHost: IPv4Address { IPv4Address(network.value + 1) }
    /// The last usable host address.
    public var lastHost: IPv4Address { IPv4Address(broadcast.value - 1) }

    /// Whether `address` is in the range, network and broadcast included.
    public func contains(_ address: IPv4Address) -> Bool { address.value & netmask == network.value }

    /// Whether `address` may be given to a host: inside the subnet and neither its network nor broadcast
    /// address (for /31 and /32 every address is usable, RFC 3021).
    public func isHost(_ address: IPv4Address) -> Bool {
        guard contains(address) else { return false }
        if prefixLength >= 31 { return true }
        return address != network && address != broadcast
    }

    /// The `n`th host address (1 = first usable); nil when past the end.
    public func host(_ n: UInt32) -> IPv4Address? {
        let size = UInt64(1) << UInt64(32 - prefixLength)
        let offset = prefixLength >= 31 ? UInt64(n) - 1 : UInt64(n)
        guard n >= 1, offset < (prefixLength >= 31 ? size : size - 1) else { return nil }
        return IPv4Address(network.value + UInt32(offset))
    }

    public func overlaps(_ other: IPv4CIDR) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        return network.value & Self.mask(shorter) == other.network.value & Self.mask(shorter)
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
