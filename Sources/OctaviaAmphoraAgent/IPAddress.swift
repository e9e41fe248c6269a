#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A syntactically valid IPv4 or IPv6 address (checked with `inet_pton`), so it can be passed to
/// `ip` without further quoting concerns.
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    let text: String
    let isIPv4: Bool

    init?(_ text: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.text = text; isIPv4 = true
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            self.text = text; isIPv4 = false
        } else {
            return nil
        }
    }

    var description: String { text }
    /// The host prefix: /32 or /128.
    var hostPrefix: Int { isIPv4 ? 32 : 128 }
}

/// `address/prefix`, e.g. a Neutron subnet CIDR.
struct CIDR: Sendable, Equatable, CustomStringConvertible {
    let address: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])), let prefix = Int(parts[1]),
              prefix >= 0, prefix <= (address.isIPv4 ? 32 : 128) else { return nil }
        self.address = address; self.prefix = prefix
    }

    var description: String { "\(address)/\(prefix)" }
}
