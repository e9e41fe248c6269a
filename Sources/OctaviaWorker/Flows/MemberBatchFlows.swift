import Foundation
import Logging
import OctaviaCore

/// `PUT /pools/{id}/members` (Octavia's `get_batch_update_members_flow`): the API left each
/// member to create, update or delete in its PENDING_* state; one render and push applies them all.
struct MemberBatchFlows: Sendable {
    let deps: WorkerDependencies
    let logger: Logger
    let job: Job.ID?

    struct Context: Sendable {
        let loadBalancerID: LoadBalancer.ID
        let poolID: Pool.ID
    }

    var configuration: ConfigurationTasks { ConfigurationTasks(deps: deps, logger: logger) }

    func batchUpdate() -> Flow<Context> {
        let configuration = self.configuration, store = deps.store, job = self.job
        return Flow("batch-update-members", steps: [
            FlowStep("members-to-error-on-revert", execute: { _ in }, revert: { ctx in
                try? await Self.fail(ctx, store: store, job: job)
            }),
            FlowStep("update-listeners", execute: { ctx in try await configuration.apply(ctx.loadBalancerID) }),
            FlowStep("mark-members-active-in-db", execute: { ctx in try await Self.settle(ctx, store: store, job: job) }),
        ])
    }

    /// Success: deleted members go, the others become ACTIVE; the pool, its listeners and the LB back to ACTIVE.
    static func settle(_ ctx: Context, store: any Store, job: Job.ID?) async throws {
        try await store.write { tx in
            for member in try await pendingMembers(ctx.poolID, tx) {
                if member.provisioningStatus == .pendingDelete {
                    try await tx.delete(Member.self, id: member.id.rawValue)
                } else {
                    try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: .active, operating: nil)
                }
            }
            try await StatusTasks.releaseParents(ctx.loadBalancerID, tx)
            if let job { try await tx.removeJob(job) }
        }
    }

    /// Every member the batch touched goes to ERROR; the pool, its listeners and the LB back to ACTIVE.
    static func fail(_ ctx: Context, store: any Store, job: Job.ID?) async throws {
        try await store.write { tx in
            for member in try await pendingMembers(ctx.poolID, tx) {
                try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: .error, operating: nil)
            }
            try await StatusTasks.releaseParents(ctx.loadBalancerID, tx)
            if let job { try await tx.removeJob(job) }
        }
    }

    static func pendingMembers(_ pool: Pool.ID, _ tx: any StoreWriting) async throws -> [Member] {
        try await tx.list(Member.self, ListQuery(filters: [("pool_id", .string(pool.rawValue))]))
            .filter { $0.provisioningStatus.isPending }
    }
}
