import Foundation
import Logging
import OctaviaCore

/// Building and removing one amphora; shared by create and (later) failover flows.
struct AmphoraTasks: Sendable {
    let deps: WorkerDependencies
    let logger: Logger

    /// Removes an amphora's instance and ports, marks its row DELETED and drops its health row. Idempotent and
    /// best-effort per part, so a half-built amphora is cleaned as well as a healthy one. If a part
    /// fails the row goes to ERROR instead, so a later flow (or an operator) finds it again.
    func teardown(_ amphora: Amphora) async {
        var clean = true
        do {
            let computeID: String?
            if let known = amphora.computeID {
                computeID = known
            } else {
                computeID = try await deps.compute.instance(for: amphora.id)
            }
            if let computeID { try await deps.compute.delete(computeID: computeID) }
        } catch {
            clean = false
            logger.error("compute delete failed", metadata: ["amphora": "\(amphora.id)", "error": "\(error)"])
        }
        do { try await deps.network.unplugAll(amphora: amphora) } catch {
            clean = false
            logger.error("unplug failed", metadata: ["amphora": "\(amphora.id)", "error": "\(error)"])
        }
        let status: AmphoraStatus = clean ? .deleted : .error
        do {
            try await deps.store.write { tx in
                guard var row = try await tx.fetch(Amphora.self, id: amphora.id.rawValue) else { return }
                row.status = status
                row.updatedAt = Date()
                try await tx.update(row)
                // Octavia's DisableAmphoraHealthMonitoring: a removed amphora is no longer monitored
                // (also the row a half-built replacement's first heartbeats created).
                if status == .deleted { try await (tx as? any AmphoraHealthWriting)?.deleteAmphoraHealth([amphora.id]) }
            }
        } catch {
            logger.error("marking amphora \(status.rawValue) failed", metadata: ["amphora": "\(amphora.id)", "error": "\(error)"])
        }
    }

    /// Amphorae of a load balancer that are not yet DELETED.
    func liveAmphorae(of lb: LoadBalancer.ID) async throws -> [Amphora] {
        try await deps.store.reader.list(Amphora.self, ListQuery(filters: [("load_balancer_id", .string(lb.rawValue))]))
            .filter { $0.status != .deleted }
    }

    func update(_ amphora: Amphora, _ change: @Sendable (inout Amphora) -> Void) async throws -> Amphora {
        try await deps.store.write { tx in
            guard var row = try await tx.fetch(Amphora.self, id: amphora.id.rawValue) else {
                throw OctaviaError.notFound("Amphora", amphora.id.rawValue)
            }
            change(&row)
            row.updatedAt = Date()
            try await tx.update(row)
            return row
        }
    }
}
