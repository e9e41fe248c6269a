import Foundation
import Logging
import OctaviaCore

/// Which way a load balancer's jobs go. The amphora provider runs the amphora flows; any other
/// provider owns its data plane itself, so the worker only settles the statuses the API left
/// PENDING_* (Octavia's `noop_driver`, and later a driver-agent provider that reports back).
enum ProviderPath: Sendable, Equatable {
    case amphora
    /// No amphora, no configuration push: every job ends with the status writes of its flow.
    case statusOnly

    /// The aliases Octavia loads as its amphora driver; an empty provider is a row from before providers.
    static let amphoraProviders: Set<String> = ["", "amphora", "octavia", "amphorav2"]

    init(provider: String) {
        self = Self.amphoraProviders.contains(provider) ? .amphora : .statusOnly
    }
}

/// The flows of a provider without amphorae: each job only moves the objects the API locked to
/// their final state, as the amphora flows' last step does. Re-runnable like every flow.
struct ProviderFlows: Sendable {
    let deps: WorkerDependencies
    let logger: Logger
    let job: Job.ID?

    var statuses: StatusTasks { StatusTasks(store: deps.store, job: job) }

    func run(_ action: JobAction) async throws {
        let statuses = self.statuses, store = deps.store, job = self.job
        switch action {
        case .createLoadBalancer(let id):
            try await statuses.finishCreate(id, .active, operating: .online)
        case .updateLoadBalancer(let id), .failoverLoadBalancer(let id), .failoverAmphora(let id, _):
            // No amphora to replace: a failover leaves the load balancer as it was.
            let lb = try await store.reader.fetch(LoadBalancer.self, id: id.rawValue)
            try await statuses.setLoadBalancer(id, .active, operating: lb?.adminStateUp == false ? .offline : .online)
        case .deleteLoadBalancer(let id, let cascade):
            if let lb = try await store.reader.fetch(LoadBalancer.self, id: id.rawValue) {
                try await deps.network.deallocateVIP(for: lb)
            }
            try await store.write { tx in
                if cascade { try await LoadBalancerFlows.deleteChildren(of: id, tx) }
                try await tx.setStatus(LoadBalancer.self, id: id.rawValue, provisioning: .deleted, operating: .offline)
                if let job { try await tx.removeJob(job) }
            }
        case .changeObject(let id, let target, let kind):
            try await statuses.finish(id, target: target, kind: kind)
        case .batchUpdateMembers(let id, let pool):
            try await MemberBatchFlows.settle(.init(loadBalancerID: id, poolID: pool), store: store, job: job)
        case .deleteAmphora:
            // Such a load balancer has no amphorae; nothing to remove.
            logger.notice("amphora delete on a provider without amphorae; nothing to do")
        }
    }
}
