import Foundation
import Logging
import OctaviaAmphoraWire
import OctaviaSystem

/// Configures the NICs the network driver attached to this amphora (agent `plug/vip` and
/// `plug/network`). Every command is idempotent (`ip addr replace`), because the controller
/// retries and re-plugs after failures.
struct InterfacePlugger: Sendable {
    let runner = SystemRunner()
    let logger: Logger
    /// Where to look for interfaces (tests point it elsewhere).
    var sysClassNet = "/sys/class/net"

    enum Failure: Error {
        case noInterface
        case invalid(String)
    }

    /// The interface whose MAC is `mac`, or nil.
    func interface(withMAC mac: String) -> String? {
        let wanted = mac.lowercased()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: sysClassNet) else { return nil }
        for name in names.sorted() {
            let address = (try? String(contentsOfFile: "\(sysClassNet)/\(name)/address", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if address == wanted { return name }
        }
        return nil
    }

    /// Brings up the VIP interface: its own (VRRP) address on the subnet plus the VIP as /32.
    func plugVIP(_ vip: String, _ request: PlugVIPRequest) async throws -> String {
        guard let prefix = Self.prefixLength(request.subnetCIDR) else { throw Failure.invalid("invalid subnet_cidr \(request.subnetCIDR)") }
        guard Self.isIPv4(vip) else { throw Failure.invalid("invalid VIP \(vip)") }
        guard let name = interface(withMAC: request.macAddress) else { throw Failure.noInterface }
        if let mtu = request.mtu { try await runner.check(["ip", "link", "set", "dev", name, "mtu", String(mtu)]) }
        if let vrrp = request.vrrpIP, vrrp != vip {
            guard Self.isIPv4(vrrp) else { throw Failure.invalid("invalid vrrp_ip \(vrrp)") }
            try await runner.check(["ip", "addr", "replace", "\(vrrp)/\(prefix)", "dev", name])
        }
        try await runner.check(["ip", "addr", "replace", "\(vip)/32", "dev", name])
        try await runner.check(["ip", "link", "set", "dev", name, "up"])
        // HAProxy may bind the VIP before the address is up (and a BACKUP amphora always does).
        try? "1\n".write(toFile: "/proc/sys/net/ipv4/ip_nonlocal_bind", atomically: false, encoding: .utf8)
        announce(vip, on: name)
        return name
    }

    /// Brings up a member-network interface with its fixed IPs.
    func plugNetwork(_ request: PlugNetworkRequest) async throws -> String {
        guard let name = interface(withMAC: request.macAddress) else { throw Failure.noInterface }
        if let mtu = request.mtu { try await runner.check(["ip", "link", "set", "dev", name, "mtu", String(mtu)]) }
        for fixed in request.fixedIPs {
            guard Self.isIPv4(fixed.ipAddress), let prefix = Self.prefixLength(fixed.subnetCIDR) else {
                throw Failure.invalid("invalid fixed IP \(fixed.ipAddress) in \(fixed.subnetCIDR)")
            }
            try await runner.check(["ip", "addr", "replace", "\(fixed.ipAddress)/\(prefix)", "dev", name])
        }
        try await runner.check(["ip", "link", "set", "dev", name, "up"])
        return name
    }

    /// Gratuitous ARP so neighbours drop a stale entry for the VIP (fire and forget: arping
    /// lingers about a second and the answer does not matter).
    func announce(_ vip: String, on interface: String) {
        guard let arping = try? SystemRunner.resolve("arping") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arping)
        process.arguments = ["-U", "-c", "1", "-I", interface, "-s", vip, vip]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try? process.run()
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && UInt8(p) != nil }
    }

    static func prefixLength(_ cidr: String) -> Int? {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, isIPv4(String(parts[0])), let n = Int(parts[1]), (0...32).contains(n) else { return nil }
        return n
    }
}
