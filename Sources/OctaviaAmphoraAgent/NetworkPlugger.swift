import Foundation
import Logging
import OctaviaAmphoraWire
import OctaviaSystem

/// Configures the amphora's data-plane interfaces with `ip`. Everything it runs is idempotent
/// (`ip addr replace`, `ip route replace`), because the controller retries plug calls.
struct NetworkPlugger: Sendable {
    var runner = SystemRunner()
    /// Where interfaces and their MACs are listed (tests point this at a fake tree).
    var sysClassNet = "/sys/class/net"
    /// Root of the sysctl tree.
    var procSys = "/proc/sys"
    /// Executes `ip` commands; replaced in tests to record instead of change the host.
    var execute: @Sendable ([String]) async throws -> Void
    var logger: Logger

    init(logger: Logger) {
        let runner = runner
        self.logger = logger
        self.execute = { arguments in try await runner.check(arguments) }
    }

    /// The interface whose MAC is `mac` (case-insensitive), from `/sys/class/net/*/address`.
    func interface(withMAC mac: String) -> String? {
        let wanted = mac.lowercased()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: sysClassNet) else { return nil }
        for name in names.sorted() {
            let address = (try? String(contentsOfFile: "\(sysClassNet)/\(name)/address", encoding: .utf8)) ?? ""
            if address.trimming(" \n").lowercased() == wanted { return name }
        }
        return nil
    }

    /// Plugs the VIP: VRRP address with the subnet prefix, VIP as a host address, MTU, link up,
    /// non-local bind (so a BACKUP HAProxy can bind the VIP), and source routing for the VIP.
    func plugVIP(_ vipText: String, _ request: PlugVIPRequest) async throws -> String {
        guard let vip = IPAddress(vipText) else { throw AgentError.invalid("Invalid VIP") }
        guard let subnet = CIDR(request.subnetCIDR), subnet.address.isIPv4 == vip.isIPv4 else {
            throw AgentError.invalid("Invalid subnet_cidr '\(request.subnetCIDR)'")
        }
        let vrrp = try request.vrrpIP.map { text in
            guard let ip = IPAddress(text) else { throw AgentError.invalid("Invalid vrrp_ip '\(text)'") }
            return ip
        }
        let gateway = try request.gateway.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let ip = IPAddress(text) else { throw AgentError.invalid("Invalid gateway '\(text)'") }
            return ip
        }
        let routes = try validated(request.hostRoutes)
        try validate(mtu: request.mtu)
        guard let interface = interface(withMAC: request.macAddress) else { throw AgentError.noInterface }

        if let mtu = request.mtu { try await execute(["ip", "link", "set", "dev", interface, "mtu", "\(mtu)"]) }
        if let vrrp { try await execute(["ip", "addr", "replace", "\(vrrp)/\(subnet.prefix)", "dev", interface]) }
        try await execute(["ip", "addr", "replace", "\(vip)/\(vip.hostPrefix)", "dev", interface])
        try await execute(["ip", "link", "set", "dev", interface, "up"])
        setNonLocalBind(ipv6: !vip.isIPv4)

        // Replies from the VIP leave through this interface even when another one has the default route.
        let family = vip.isIPv4 ? "-4" : "-6"
        await bestEffort(["ip", family, "route", "replace", subnet.description, "dev", interface, "src", vip.text, "scope", "link", "table", "1"])
        if let gateway {
            await bestEffort(["ip", family, "route", "replace", "default", "via", gateway.text, "dev", interface, "onlink", "table", "1"])
        }
        for route in routes {
            await bestEffort(["ip", family, "route", "replace", route.destination, "via", route.nexthop, "dev", interface, "onlink", "table", "1"])
        }
        await bestEffort(["ip", family, "rule", "del", "from", "\(vip)/\(vip.hostPrefix)", "table", "1", "priority", "100"])
        await bestEffort(["ip", family, "rule", "add", "from", "\(vip)/\(vip.hostPrefix)", "table", "1", "priority", "100"])
        logger.info("plugged VIP", metadata: ["vip": "\(vip)", "interface": "\(interface)"])
        return "VIP \(vip) plugged on interface \(interface)"
    }

    /// Plugs a member network port: each fixed IP with its subnet prefix, MTU, link up.
    func plugNetwork(_ request: PlugNetworkRequest) async throws -> String {
        var addresses: [(IPAddress, CIDR, [HostRoute])] = []
        for fixed in request.fixedIPs {
            guard let ip = IPAddress(fixed.ipAddress) else { throw AgentError.invalid("Invalid ip_address '\(fixed.ipAddress)'") }
            guard let subnet = CIDR(fixed.subnetCIDR), subnet.address.isIPv4 == ip.isIPv4 else {
                throw AgentError.invalid("Invalid subnet_cidr '\(fixed.subnetCIDR)'")
            }
            addresses.append((ip, subnet, try validated(fixed.hostRoutes)))
        }
        try validate(mtu: request.mtu)
        guard let interface = interface(withMAC: request.macAddress) else { throw AgentError.noInterface }
        if let mtu = request.mtu { try await execute(["ip", "link", "set", "dev", interface, "mtu", "\(mtu)"]) }
        for (ip, subnet, routes) in addresses {
            try await execute(["ip", "addr", "replace", "\(ip)/\(subnet.prefix)", "dev", interface])
            for route in routes {
                await bestEffort(["ip", ip.isIPv4 ? "-4" : "-6", "route", "replace", route.destination, "via", route.nexthop, "dev", interface])
            }
        }
        try await execute(["ip", "link", "set", "dev", interface, "up"])
        logger.info("plugged network", metadata: ["interface": "\(interface)"])
        return "Plugged on interface \(interface)"
    }

    private func validate(mtu: Int?) throws {
        if let mtu, !(68...65535).contains(mtu) { throw AgentError.invalid("Invalid mtu \(mtu)") }
    }

    private func validated(_ routes: [HostRoute]) throws -> [HostRoute] {
        for route in routes where CIDR(route.destination) == nil || IPAddress(route.nexthop) == nil {
            throw AgentError.invalid("Invalid host route \(route.destination) via \(route.nexthop)")
        }
        return routes
    }

    private func bestEffort(_ arguments: [String]) async {
        do { try await execute(arguments) } catch {
            logger.warning("network command failed", metadata: ["command": "\(arguments.joined(separator: " "))", "error": "\(error)"])
        }
    }

    private func setNonLocalBind(ipv6: Bool) {
        let key = ipv6 ? "ipv6/ip_nonlocal_bind" : "ipv4/ip_nonlocal_bind"
        do { try Data("1\n".utf8).write(to: URL(fileURLWithPath: "\(procSys)/net/\(key)")) } catch {
            logger.warning("cannot enable non-local bind", metadata: ["error": "\(error)"])
        }
    }
}
