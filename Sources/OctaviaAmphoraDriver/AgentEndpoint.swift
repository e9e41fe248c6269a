import Foundation
import AsyncHTTPClient
import OctaviaCore

/// Where the controller reaches an amphora's agent, parsed from `Amphora.lbNetworkIP`.
enum AgentEndpoint: Sendable, Equatable {
    /// `unix:<path>`: local amphorae; the socket path is the identity, no hostname check.
    case unixSocket(path: String)
    /// An IPv4 or IPv6 literal (without brackets): the agent listens on `port`.
    case address(String)

    static let unixPrefix = "unix:"

    init(_ amphora: Amphora) throws {
        guard let raw = amphora.lbNetworkIP, !raw.isEmpty else {
            throw AmphoraAgentError.invalidEndpoint(amphora.id, "lb_network_ip is not set")
        }
        if raw.hasPrefix(Self.unixPrefix) {
            let path = String(raw.dropFirst(Self.unixPrefix.count))
            guard path.hasPrefix("/") else {
                throw AmphoraAgentError.invalidEndpoint(amphora.id, "socket path must be absolute: \(raw)")
            }
            self = .unixSocket(path: path)
        } else {
            let bare = raw.hasPrefix("[") && raw.hasSuffix("]") ? String(raw.dropFirst().dropLast()) : raw
            guard Self.isIPLiteral(bare) else {
                throw AmphoraAgentError.invalidEndpoint(amphora.id, "not an IP address or unix: path: \(raw)")
            }
            self = .address(bare)
        }
    }

    /// The request URL. For addresses the URL host is the amphora id and the client maps it to the
    /// IP (AsyncHTTPClient `dnsOverride`), so TLS verifies the server certificate against the amphora id
    /// as Octavia does.
    func url(for path: String, amphora: Amphora.ID, port: Int) -> String? {
        switch self {
        case .unixSocket(let socketPath):
            return URL(httpsURLWithSocketPath: socketPath, uri: path)?.absoluteString
        case .address:
            return "https://\(amphora.rawValue):\(port)\(path)"
        }
    }

    /// For logs: `unix:<path>`, `<ipv4>:<port>` or `[<ipv6>]:<port>`.
    func display(port: Int) -> String {
        switch self {
        case .unixSocket(let path): return "\(Self.unixPrefix)\(path)"
        case .address(let ip): return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
    }

    private static func isIPLiteral(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
