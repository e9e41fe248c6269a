#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sends single datagrams to UDP (IPv4/IPv6 literal addresses) or Unix datagram destinations.
/// Errors are returned, not thrown: Octavia's sender ignores them and tries again next interval.
enum DatagramSocket {
    /// - Parameter unixSource: for Unix destinations, the path our socket is bound to first: receivers
    ///   such as SwiftNIO refuse datagrams from unnamed Unix sockets.
    @discardableResult
    static func send(_ bytes: [UInt8], to destination: HeartbeatDestination, unixSource: String? = nil) -> Int32 {
        switch destination {
        case .unix(let path):
            guard var address = unixAddress(path) else { return ENAMETOOLONG }
            var source = unixSource.flatMap(unixAddress)
            return sendTo(family: AF_UNIX, bytes, &address, socklen_t(MemoryLayout<sockaddr_un>.size), source: &source,
                          sourcePath: unixSource)
        case .udp(let host, let port):
            var v4 = sockaddr_in()
            if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
                v4.sin_family = sa_family_t(AF_INET)
                v4.sin_port = in_port_t(UInt16(port).bigEndian)
                var none: sockaddr_un? = nil
                return sendTo(family: AF_INET, bytes, &v4, socklen_t(MemoryLayout<sockaddr_in>.size), source: &none)
            }
            var v6 = sockaddr_in6()
            guard inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 else { return EINVAL }
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            var none: sockaddr_un? = nil
            return sendTo(family: AF_INET6, bytes, &v6, socklen_t(MemoryLayout<sockaddr_in6>.size), source: &none)
        }
    }

    static func unixAddress(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        return address
    }

    private static func sendTo<Address>(family: Int32, _ bytes: [UInt8], _ address: inout Address, _ length: socklen_t,
                                        source: inout sockaddr_un?, sourcePath: String? = nil) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)
        #endif
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        if var named = source, let sourcePath {
            unlink(sourcePath)
            let bound = withUnsafePointer(to: &named) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { return errno }
        }
        defer { if let sourcePath { unlink(sourcePath) } }
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, length)
                }
            }
        }
        return sent < 0 ? errno : 0
    }
}
