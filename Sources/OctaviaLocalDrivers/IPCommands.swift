import Foundation
import OctaviaSystem

/// The `ip` commands both local drivers use, with the parsing in one place.
struct IPCommands: Sendable {
    let runner: SystemRunner

    /// One link as `ip -j link show` reports it.
    struct Link: Decodable, Sendable {
        var ifname: String
        var address: String?
        var master: String?
        var mtu: Int?
        var operstate: String?
    }

    /// iproute2 keeps one bind-mounted file per named namespace here.
    func namespaceExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/run/netns/\(name)")
    }

    /// Creates the namespace with `lo` up. Idempotent (a concurrent creator wins quietly).
    func addNamespace(_ name: String) async throws {
        if !namespaceExists(name) {
            let result = try await runner.run(["ip", "netns", "add", name])
            if !result.succeeded && !namespaceExists(name) {
                throw LocalDriverError("ip netns add \(name) failed: \(result.error)")
            }
        }
        try await runner.check(["ip", "-n", name, "link", "set", "lo", "up"])
    }

    /// Deletes the namespace; its veths and their peers die with it. Idempotent.
    func deleteNamespace(_ name: String) async throws {
        guard namespaceExists(name) else { return }
        let result = try await runner.run(["ip", "netns", "del", name])
        if !result.succeeded && namespaceExists(name) {
            throw LocalDriverError("ip netns del \(name) failed: \(result.error)")
        }
    }

    func listNamespaces() async throws -> [String] {
        let output = try await runner.check(["ip", "netns", "list"]).output
        // Lines look like `name (id: 3)` or just `name`.
        return output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    func links(in namespace: String) async throws -> [Link] {
        let output = try await runner.check(["ip", "-j", "-n", namespace, "link", "show"]).output
        return try JSONDecoder().decode([Link].self, from: Data(output.utf8))
    }

    func link(_ name: String, in namespace: String) async throws -> Link? {
        try await links(in: namespace).first { $0.ifname == name }
    }

    /// PIDs of the processes whose network namespace is `namespace`.
    func pids(in namespace: String) async throws -> [Int32] {
        guard namespaceExists(namespace) else { return [] }
        let result = try await runner.run(["ip", "netns", "pids", namespace])
        return result.output.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    /// The named namespace `pid` lives in, if any.
    func identify(pid: Int32) async throws -> String? {
        let result = try await runner.run(["ip", "netns", "identify", String(pid)])
        guard result.succeeded else { return nil }
        let name = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
