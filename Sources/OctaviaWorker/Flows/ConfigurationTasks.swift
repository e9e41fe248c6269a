import Logging
import OctaviaCore
import OctaviaHAProxyConfig

/// Renders a load balancer's HAProxy configuration from the database and pushes it to every
/// amphora (Octavia's `ListenersUpdate`): the whole file each time, so any change, and any retry
/// after a crash, converges on what the database says.
struct ConfigurationTasks: Sendable {
    let deps: WorkerDependencies
    let logger: Logger

    /// Listener protocols HAProxy carries in this release.
    static let renderedProtocols: Set<ListenerProtocol> = [.http, .tcp, .https, .terminatedHTTPS, .prometheus]

    func apply(_ lbID: LoadBalancer.ID) async throws {
        guard let graph = try await deps.store.reader.graph(lbID) else {
            throw OctaviaError.notFound("Load Balancer", lbID.rawValue)
        }
        let carriesTraffic = graph.loadBalancer.adminStateUp && graph.listeners.contains {
            $0.adminStateUp && !Self.isGoing($0.provisioningStatus) && Self.renderedProtocols.contains($0.protocol)
        }
        let tls = try await TLSFileSet.resolve(graph, manager: deps.certificateManager, settings: deps.settings.render)
        let config = HAProxyConfigRenderer.render(graph, settings: deps.settings.render, tls: tls.paths)
        for amphora in graph.amphorae where amphora.status == .allocated {
            try await plugMemberNetworks(graph, amphora)
            if carriesTraffic {
                let before = await deps.tlsFiles.files(on: amphora.id, for: lbID)
                // Recorded before the push so a failed apply still leaves every uploaded name known.
                await deps.tlsFiles.record(before.union(tls.files.keys), on: amphora.id, for: lbID)
                try await uploadTLSFiles(tls, to: amphora, loadBalancerID: lbID)
                try await deps.amphora.applyHAProxyConfig(amphora, loadBalancerID: lbID, config: config)
                // Only once HAProxy runs the new config does nothing read the old files.
                await removeUnusedTLSFiles(before, keeping: tls, on: amphora, loadBalancerID: lbID)
            } else {
                try await deps.amphora.removeLoadBalancer(amphora, loadBalancerID: lbID)
                await deps.tlsFiles.forget(amphora.id, for: lbID)
            }
        }
    }

    /// Uploads each TLS file whose MD5 on the amphora differs (Octavia skips matching uploads too).
    func uploadTLSFiles(_ tls: TLSFileSet, to amphora: Amphora, loadBalancerID: LoadBalancer.ID) async throws {
        for (name, pem) in tls.files.sorted(by: { $0.key < $1.key }) {
            let stored = try await deps.amphora.certificateFileMD5(amphora, loadBalancerID: loadBalancerID, filename: name)
            if stored == FileDigest.md5Hex(pem) { continue }
            try await deps.amphora.uploadCertificateFile(amphora, loadBalancerID: loadBalancerID, filename: name, pem: pem)
        }
    }

    /// Deletes the files pushed earlier that the current config no longer names. A failed delete
    /// does not fail the change: the name stays recorded and the next push tries again.
    func removeUnusedTLSFiles(
        _ before: Set<String>, keeping tls: TLSFileSet, on amphora: Amphora, loadBalancerID: LoadBalancer.ID
    ) async {
        var kept = Set(tls.files.keys)
        for name in before.subtracting(kept).sorted() {
            do {
                try await deps.amphora.deleteCertificateFile(amphora, loadBalancerID: loadBalancerID, filename: name)
            } catch {
                logger.warning("could not delete unused TLS file", metadata: [
                    "amphora": "\(amphora.id)", "load_balancer": "\(loadBalancerID)", "file": "\(name)", "error": "\(error)",
                ])
                kept.insert(name)
            }
        }
        await deps.tlsFiles.record(kept, on: amphora.id, for: loadBalancerID)
    }

    /// Gives the amphora a leg on every member subnet other than the VIP's (Octavia's
    /// `CalculateDelta` + `HandleNetworkDeltas`). Plugging is idempotent on both sides.
    func plugMemberNetworks(_ graph: LoadBalancerGraph, _ amphora: Amphora) async throws {
        let subnets = Set(graph.members.filter { !Self.isGoing($0.provisioningStatus) }.compactMap(\.subnetID))
            .subtracting([graph.loadBalancer.vipSubnetID].compactMap { $0 })
        for subnet in subnets.sorted() {
            let plug = try await deps.network.plugNetwork(amphora: amphora, subnetID: subnet)
            try await deps.amphora.plugNetwork(amphora, plug)
        }
    }

    static func isGoing(_ status: ProvisioningStatus) -> Bool {
        status == .pendingDelete || status == .deleted
    }
}
