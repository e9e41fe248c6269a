#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address parsed with `inet_pton`, rendered in canonical form.
struct IPAddress: Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    var version: Int { bytes.count == 4 ? 4 : 6 }

    init?(_ string: String) {
        var v4 = in_addr()
        if string.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if string.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = copy.withUnsafeMutableBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Keeps the first `prefix` bits.
    func masked(_ prefix: Int) -> IPAddress {
        var out = bytes
        for i in 0..<out.count {
            let bits = max(0, min(8, prefix - i * 8))
            out[i] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
        return IPAddress(bytes: out)
    }
}

/// A network in CIDR notation, e.g. `10.0.0.0/24`.
struct CIDR: Equatable, CustomStringConvertible {
    var network: IPAddress
    var prefix: Int

    /// Accepts host bits (they are cleared) and a bare address (full-length prefix).
    init?(_ string: String) {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxPrefix = address.bytes.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...maxPrefix).contains(p) else { return nil }
            prefix = p
        } else {
            prefix = maxPrefix
        }
        network = address.masked(prefix)
    }

    var description: String { "\(network)/\(prefix)" }

    func contains(_ address: IPAddress) -> Bool {
        address.version == network.version && address.masked(prefix) == network
    }
}
