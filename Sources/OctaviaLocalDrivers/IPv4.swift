/// An IPv4 address as a 32-bit number, so IPAM can count, compare and step through a subnet.
struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    var value: UInt32

    init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad notation; nil for anything else (no leading zeros, no shorthand).
    init?(_ string: String) {
        let parts = string.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part),
                  part.count == 1 || part.first != "0" else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    var description: String {
        "\(value >> 24 & 0xff).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 subnet (`10.0.0.0/24`). Local networks are IPv4 only: the local dataplane never routes.
struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    var network: IPv4Address
    var prefixLength: Int

    /// Parses `a.b.c.d/len`; host bits must be zero, as Neutron requires of a subnet CIDR.
    init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])), let length = Int(parts[1]),
              (0...32).contains(length) else { return nil }
        let mask = Self.mask(length)
        guard address.value & ~mask == 0 else { return nil }
        network = address
        prefixLength = length
    }

    var description: String { "\(network)/\(prefixLength)" }

    var netmask: UInt32 { Self.mask(prefixLength) }
    var broadcast: IPv4Address { IPv4Address(network.value | ~netmask) }

    func contains(_ address: IPv4Address) -> Bool { address.value & netmask == network.value }

    /// Whether `address` may be given to a host: inside the subnet and neither its network nor broadcast
    /// address (for /31 and /32 every address is usable, RFC 3021).
    func isHost(_ address: IPv4Address) -> Bool {
        guard contains(address) else { return false }
        if prefixLength >= 31 { return true }
        return address != network && address != broadcast
    }

    /// The `n`th host address (1 = first usable); nil when past the end.
    func host(_ n: UInt32) -> IPv4Address? {
        let size = UInt64(1) << UInt64(32 - prefixLength)
        let offset = prefixLength >= 31 ? UInt64(n) - 1 : UInt64(n)
        guard n >= 1, offset < (prefixLength >= 31 ? size : size - 1) else { return nil }
        return IPv4Address(network.value + UInt32(offset))
    }

    private static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }
}

/// Pure address selection for IPAM.
enum AddressPool {
    /// The lowest address in `start...end` that is a host of `subnet`, not the gateway and not in `used`.
    static func firstFree(in subnet: IPv4Network, from start: IPv4Address, to end: IPv4Address,
                                 gateway: IPv4Address?, used: Set<IPv4Address>) -> IPv4Address? {
        guard start <= end else { return nil }
        var candidate = start.value
        while true {
            let address = IPv4Address(candidate)
            if subnet.isHost(address), address != gateway, !used.contains(address) { return address }
            if candidate == end.value { return nil }
            candidate += 1
        }
    }
}
