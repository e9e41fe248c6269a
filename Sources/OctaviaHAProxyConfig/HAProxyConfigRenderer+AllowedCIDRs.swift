import OctaviaCore

extension HAProxyConfigRenderer {
    /// `allowed_cidrs` enforced by HAProxy itself: connections from other sources are closed before
    /// any byte is read. Octavia puts these in the VIP's Neutron security group; a local amphora has no
    /// security group, and the frontend is the one place inside the amphora that sees every listener's
    /// traffic (TCP and HTTP alike). Nil when the listener allows every source (no list, or empty).
    static func allowedSourcesLine(_ listener: Listener) -> String? {
        guard let cidrs = listener.allowedCIDRs?.value, !cidrs.isEmpty else { return nil }
        return "tcp-request connection reject if !{ src \(cidrs.joined(separator: " ")) }"
    }
}
