import Foundation
import Logging
import OctaviaCore

/// The typed state of a failover: the amphorae being replaced and the replacement being built.
struct FailoverContext: Sendable {
    let loadBalancerID: LoadBalancer.ID
    /// The amphora an amphora failover named (logging only: a SINGLE load balancer has one amphora,
    /// and a re-run after a crash must also clear whatever the first attempt left).
    let requested: Amphora.ID?
    /// Amphorae of the load balancer when the flow started; all go once the replacement carries traffic.
    var replaced: [Amphora] = []
    /// The replacement, built by the create flow's own amphora steps.
    var build: CreateLoadBalancerContext

    init(loadBalancerID: LoadBalancer.ID, requested: Amphora.ID? = nil) {
        self.loadBalancerID = loadBalancerID
        self.requested = requested
        self.build = CreateLoadBalancerContext(loadBalancerID: loadBalancerID)
    }
}

/// Load balancer and amphora failover (Octavia's `get_failover_LB_flow` / `get_failover_amphora_flow`
/// for the SINGLE topology): build a replacement amphora, give it the VIP (the network driver keeps
/// the VIP MAC, so clients' ARP entries stay valid), push the configuration, then remove the old
/// amphorae. On failure the replacement is removed, the old amphorae and the LB go to ERROR, and a
/// later failover can repair it.
struct FailoverFlows: Sendable {
    let deps: WorkerDependencies
    let logger: Logger
    let job: Job.ID?

    /// Steps of the create flow that build one amphora, in order. Reused as they are so a
    /// replacement is built exactly like the original.
    static let buildSteps = [
        "create-amphora-in-db", "generate-server-certificate", "compute-create", "wait-for-agent", "plug-vip",
        "mark-amphora-allocated",
    ]

    var amphorae: AmphoraTasks { AmphoraTasks(deps: deps, logger: logger) }
    var configuration: ConfigurationTasks { ConfigurationTasks(deps: deps, logger: logger) }

    func failover() throws -> Flow<FailoverContext> {
        let deps = self.deps, amphorae = self.amphorae, configuration = self.configuration, logger = self.logger
        let job = self.job
        let create = LoadBalancerFlows(deps: deps, logger: logger, job: job).create()
        var build: [FlowStep<FailoverContext>] = []
        for name in Self.buildSteps {
            guard let step = create.steps.first(where: { $0.name == name }) else {
                throw OctaviaError(.internalError, "create flow has no step \(name)")
            }
            build.append(Self.lift(step))
        }
        let prepare: [FlowStep<FailoverContext>] = [
            FlowStep("load-balancer-to-error-on-revert", execute: { _ in }, revert: { ctx in
                await Self.markError(ctx.loadBalancerID, amphorae: ctx.replaced.map(\.id), store: deps.store, job: job,
                                     logger: logger)
            }),
            FlowStep("select-amphorae-to-replace", execute: { ctx in
                // Every live amphora, including a half-built one an interrupted earlier attempt left.
                ctx.replaced = try await amphorae.liveAmphorae(of: ctx.loadBalancerID)
                logger.info("failover: replacing amphorae", metadata: [
                    "amphorae": "\(ctx.replaced.map(\.id.rawValue))", "requested": "\(ctx.requested?.rawValue ?? "-")",
                ])
            }),
            FlowStep("mark-old-amphorae-pending-delete", execute: { ctx in
                // Configuration pushes go to ALLOCATED amphorae only: from here on, the replacement.
                let ids = ctx.replaced.map(\.id)
                try await deps.store.write { tx in
                    for id in ids {
                        guard var row = try await tx.fetch(Amphora.self, id: id), row.status != .deleted else { continue }
                        row.status = .pendingDelete
                        row.updatedAt = Date()
                        try await tx.update(row)
                    }
                    // Octavia's MarkAmphoraHealthBusy: an API-started failover must not be joined by the
                    // stale sweep's own when the old amphora's heartbeats stop meanwhile. The rows go
                    // with the old amphorae (teardown); after a failed failover they stay busy, as in Octavia.
                    try await (tx as? any AmphoraHealthWriting)?.markAmphoraHealthBusy(ids)
                }
            }),
        ]
        let finish: [FlowStep<FailoverContext>] = [
            FlowStep("update-listeners", execute: { ctx in try await configuration.apply(ctx.loadBalancerID) }),
            FlowStep("delete-old-amphorae", execute: { ctx in
                for old in ctx.replaced {
                    // The row again: an earlier attempt may have recorded a compute id since.
                    let row = try await deps.store.reader.fetch(Amphora.self, id: old.id) ?? old
                    guard row.status != .deleted else { continue }
                    await amphorae.teardown(row)
                    if try await deps.store.reader.fetch(Amphora.self, id: old.id)?.status == .error {
                        // The replacement carries the traffic; the leftover stays ERROR for `DELETE /amphorae/{id}`.
                        logger.error("failover: old amphora could not be removed; left in ERROR", metadata: ["amphora": "\(old.id)"])
                    }
                }
            }),
            FlowStep("mark-load-balancer-active", execute: { ctx in
                try await Self.markActive(ctx.loadBalancerID, store: deps.store, job: job)
            }),
        ]
        return Flow("failover-load-balancer", steps: prepare + build + finish)
    }

    /// A create-flow step run on the failover context's `build` part.
    static func lift(_ step: FlowStep<CreateLoadBalancerContext>) -> FlowStep<FailoverContext> {
        let execute: @Sendable (inout FailoverContext) async throws -> Void = { ctx in
            var build = ctx.build
            defer { ctx.build = build }
            try await step.execute(&build)
        }
        var revert: (@Sendable (FailoverContext) async -> Void)?
        if let inner = step.revert {
            revert = { ctx in await inner(ctx.build) }
        }
        return FlowStep(step.name, execute: execute, revert: revert)
    }

    /// Octavia's `MarkLBActiveInDB(mark_subobjects=True)`: a failover also repairs children left in ERROR.
    static func markActive(_ lbID: LoadBalancer.ID, store: any Store, job: Job.ID?) async throws {
        try await store.write { tx in
            guard let lb = try await tx.fetch(LoadBalancer.self, id: lbID) else { return }
            let byLB = ListQuery(filters: [("load_balancer_id", .string(lbID.rawValue))])
            for listener in try await tx.list(Listener.self, byLB) where Self.repairable(listener.provisioningStatus) {
                try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .active, operating: nil)
            }
            for pool in try await tx.list(Pool.self, byLB) {
                if Self.repairable(pool.provisioningStatus) {
                    try await tx.setStatus(Pool.self, id: pool.id.rawValue, provisioning: .active, operating: nil)
                }
                let byPool = ListQuery(filters: [("pool_id", .string(pool.id.rawValue))])
                for member in try await tx.list(Member.self, byPool) where Self.repairable(member.provisioningStatus) {
                    try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: .active, operating: nil)
                }
                for hm in try await tx.list(HealthMonitor.self, byPool) where Self.repairable(hm.provisioningStatus) {
                    try await tx.setStatus(HealthMonitor.self, id: hm.id.rawValue, provisioning: .active, operating: nil)
                }
            }
            // No heartbeats yet: the same stand-in for operating status as the create and update flows.
            try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: .active,
                                   operating: lb.adminStateUp ? .online : .offline)
            if let job { try await tx.removeJob(job) }
        }
    }

    /// Rows still being removed keep their state: the rendered configuration already leaves them out.
    static func repairable(_ status: ProvisioningStatus) -> Bool {
        status != .deleted && status != .pendingDelete
    }

    /// Failure: the amphorae being replaced and the load balancer go to ERROR (lifecycle.md).
    static func markError(_ lbID: LoadBalancer.ID, amphorae: [Amphora.ID], store: any Store, job: Job.ID?, logger: Logger) async {
        do {
            try await store.write { tx in
                for id in amphorae {
                    guard var row = try await tx.fetch(Amphora.self, id: id), row.status != .deleted else { continue }
                    row.status = .error
                    row.updatedAt = Date()
                    try await tx.update(row)
                }
                try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: .error, operating: nil)
                if let job { try await tx.removeJob(job) }
            }
        } catch {
            logger.error("could not mark failover failed", metadata: ["lb": "\(lbID)", "error": "\(error)"])
        }
    }

    /// Final failure without running the flow: a half-built replacement goes, the rest goes to ERROR.
    func markFailed(_ lbID: LoadBalancer.ID) async throws {
        var old: [Amphora.ID] = []
        for amphora in try await amphorae.liveAmphorae(of: lbID) {
            switch amphora.status {
            case .pendingCreate, .booting: await amphorae.teardown(amphora)
            case .pendingDelete: old.append(amphora.id)
            default: break
            }
        }
        await Self.markError(lbID, amphorae: old, store: deps.store, job: job, logger: logger)
    }

    /// `DELETE /octavia/amphorae/{id}`: the API checked it was ERROR and set PENDING_DELETE. The
    /// teardown leaves it DELETED, or ERROR again when a part could not be removed.
    func deleteAmphora(_ id: Amphora.ID) async throws {
        if let row = try await deps.store.reader.fetch(Amphora.self, id: id), row.status != .deleted {
            await amphorae.teardown(row)
        }
        if let job { try await deps.store.write { try await $0.removeJob(job) } }
    }

    func markAmphoraError(_ id: Amphora.ID) async throws {
        try await deps.store.write { tx in
            if var row = try await tx.fetch(Amphora.self, id: id), row.status != .deleted {
                row.status = .error
                row.updatedAt = Date()
                try await tx.update(row)
            }
            if let job { try await tx.removeJob(job) }
        }
    }
}
