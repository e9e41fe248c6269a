/// A dotted-quad IPv4 address; comparable so pools and ranges can be checked.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(value: UInt32) { self.value = value }

    /// Parses strict dotted-quad text (`10.0.0.1`); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xFF) }.joined(separator: ".")
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 network in CIDR notation (`10.0.0.0/24`), with no host bits set.
public struct IPv4CIDR: Sendable, Hashable, CustomStringConvertible {
    public var network: IPv4Address
    public var prefixLength: Int

    /// Parses `a.b.c.d/n`; the failure reason says what is wrong.
    public static func parse(_ text: String) -> Result<IPv4CIDR, ConversionFailure> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              parts[1].allSatisfy(\.isASCIIDigit), let prefix = Int(parts[1]), (0...32).contains(prefix)
        else {
            return .failure(ConversionFailure("'\(text)' is not an IPv4 CIDR like 10.0.0.0/24"))
        }
        let cidr = IPv4CIDR(network: IPv4Address(value: address.value & mask(prefix)), prefixLength: prefix)
        guard cidr.network == address else {
            return .failure(ConversionFailure("'\(text)' has host bits set (did you mean \(cidr)?)"))
        }
        return .success(cidr)
    }

    init(network: IPv4Address, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    /// The last address of the range (the broadcast address for prefixes up to /30).
    public var broadcast: IPv4Address { IPv4Address(value: network.value | ~Self.mask(prefixLength)) }
    /// The first usable host address.
    public var firstHost: IPv4Address { IPv4Address(value: network.value + 1) }
    /// The last usable host address.
    public var lastHost: IPv4Address { IPv4Address(value: broadcast.value - 1) }

    /// Whether `address` is in the range, network and broadcast included.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == network.value
    }

    /// Whether `address` is a usable host address (not the network or broadcast address).
    public func containsHost(_ address: IPv4Address) -> Bool {
        contains(address) && address != network && address != broadcast
    }

    public func overlaps(_ other: IPv4CIDR) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        return network.value & Self.mask(shorter) == other.network.value & Self.mask(shorter)
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
