import Foundation
import Logging
import OctaviaCore

/// The typed state a create flow carries from step to step.
struct CreateLoadBalancerContext: Sendable {
    let loadBalancerID: LoadBalancer.ID
    var amphora: Amphora?
    var serverPEM: String?
}

/// One flow builder per job kind (Octavia's `load_balancer_flows.py` and friends). Every flow is
/// safe to run again from the start after a crash: its first steps clean up or re-check what an
/// earlier attempt left.
struct LoadBalancerFlows: Sendable {
    let deps: WorkerDependencies
    let logger: Logger
    /// The job the flow runs for; its final status write removes it.
    let job: Job.ID?

    var amphorae: AmphoraTasks { AmphoraTasks(deps: deps, logger: logger) }
    var configuration: ConfigurationTasks { ConfigurationTasks(deps: deps, logger: logger) }
    var statuses: StatusTasks { StatusTasks(store: deps.store, job: job) }

    /// SINGLE topology: one STANDALONE amphora, VIP plugged, configuration pushed, LB ACTIVE.
    func create() -> Flow<CreateLoadBalancerContext> {
        let deps = self.deps, amphorae = self.amphorae, configuration = self.configuration, statuses = self.statuses
        return Flow("create-load-balancer", steps: [
            FlowStep("load-balancer-to-error-on-revert", execute: { _ in }, revert: { ctx in
                // With every object a fully-populated create inserted.
                try? await statuses.finishCreate(ctx.loadBalancerID, .error, operating: .error)
            }),
            FlowStep("remove-leftover-amphorae", execute: { ctx in
                // A previous attempt that died mid-way may have left an amphora behind.
                for leftover in try await amphorae.liveAmphorae(of: ctx.loadBalancerID) {
                    await amphorae.teardown(leftover)
                }
            }),
            FlowStep("create-amphora-in-db", execute: { ctx in
                let amphora = Amphora(loadBalancerID: ctx.loadBalancerID, role: .standalone, status: .pendingCreate)
                try await deps.store.write { try await $0.insert(amphora) }
                ctx.amphora = amphora
            }, revert: { ctx in
                // Reads the row again: later steps recorded the compute id and ports there.
                guard let id = ctx.amphora?.id,
                      let row = try? await deps.store.reader.fetch(Amphora.self, id: id.rawValue) else { return }
                await amphorae.teardown(row)
            }),
            FlowStep("generate-server-certificate", execute: { ctx in
                guard let amphora = ctx.amphora else { return }
                let issued = try deps.certificates.issueAmphoraCertificate(for: amphora.id, validity: deps.settings.certificateValidity)
                ctx.serverPEM = issued.pem
                ctx.amphora = try await amphorae.update(amphora) { $0.certExpiration = issued.expiresAt }
            }),
            FlowStep("compute-create", execute: { ctx in
                guard let amphora = ctx.amphora, let pem = ctx.serverPEM else { return }
                let instance = try await deps.compute.build(AmphoraBuildRequest(
                    amphoraID: amphora.id, loadBalancerID: ctx.loadBalancerID, serverCertificatePEM: pem,
                    clientCAPEM: deps.certificates.clientCAPEM))
                ctx.amphora = try await amphorae.update(amphora) {
                    $0.computeID = instance.computeID
                    $0.lbNetworkIP = instance.agentEndpoint
                    $0.status = .booting
                }
            }),
            FlowStep("wait-for-agent", execute: { ctx in
                guard let amphora = ctx.amphora else { return }
                try await deps.amphora.waitForAgent(amphora, timeout: deps.settings.amphoraBootTimeout)
            }),
            FlowStep("plug-vip", execute: { ctx in
                guard let amphora = ctx.amphora,
                      let lb = try await deps.store.reader.fetch(LoadBalancer.self, id: ctx.loadBalancerID.rawValue) else { return }
                let plug = try await deps.network.plugVIP(amphora: amphora, loadBalancer: lb)
                ctx.amphora = try await amphorae.update(amphora) {
                    $0.vrrpIP = plug.vrrpIP
                    $0.haIP = plug.vip
                    $0.haPortID = lb.vipPortID
                    $0.vrrpInterface = "eth1"
                }
                try await deps.amphora.plugVIP(amphora, plug)
            }),
            FlowStep("mark-amphora-allocated", execute: { ctx in
                guard let amphora = ctx.amphora else { return }
                ctx.amphora = try await amphorae.update(amphora) { $0.status = .allocated }
            }),
            FlowStep("update-listeners", execute: { ctx in
                try await configuration.apply(ctx.loadBalancerID)
            }),
            FlowStep("mark-load-balancer-active", execute: { ctx in
                try await statuses.finishCreate(ctx.loadBalancerID, .active, operating: .online)
            }),
        ])
    }

    /// Removes the amphorae and the VIP, then (cascade) the children, and marks the LB DELETED.
    func delete(cascade: Bool) -> Flow<LoadBalancer.ID> {
        let deps = self.deps, amphorae = self.amphorae, statuses = self.statuses, logger = self.logger, job = self.job
        return Flow("delete-load-balancer", steps: [
            FlowStep("load-balancer-to-error-on-revert", execute: { _ in }, revert: { id in
                try? await statuses.setLoadBalancer(id, .error)
            }),
            FlowStep("delete-amphorae", execute: { id in
                for amphora in try await amphorae.liveAmphorae(of: id) {
                    do { try await deps.amphora.removeLoadBalancer(amphora, loadBalancerID: id) } catch {
                        // The instance is about to go anyway; an unreachable agent must not block the delete.
                        logger.info("agent unreachable during delete", metadata: ["amphora": "\(amphora.id)", "error": "\(error)"])
                    }
                    await deps.tlsFiles.forget(amphora.id, for: id)
                    await amphorae.teardown(amphora)
                }
            }),
            FlowStep("deallocate-vip", execute: { id in
                guard let lb = try await deps.store.reader.fetch(LoadBalancer.self, id: id.rawValue) else { return }
                try await deps.network.deallocateVIP(for: lb)
            }),
            FlowStep("mark-load-balancer-deleted", execute: { id in
                let lbID = id
                try await deps.store.write { tx in
                    if cascade { try await Self.deleteChildren(of: lbID, tx) }
                    try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: .deleted, operating: .offline)
                    if let job { try await tx.removeJob(job) }
                }
            }),
        ])
    }

    /// Re-renders after a load-balancer PUT (admin_state_up changes what HAProxy runs).
    func update() -> Flow<LoadBalancer.ID> {
        let configuration = self.configuration, statuses = self.statuses
        return Flow("update-load-balancer", steps: [
            FlowStep("load-balancer-to-error-on-revert", execute: { _ in }, revert: { id in
                try? await statuses.setLoadBalancer(id, .error)
            }),
            FlowStep("update-listeners", execute: { id in try await configuration.apply(id) }),
            FlowStep("mark-load-balancer-active", execute: { id in
                guard let lb = try await configuration.deps.store.reader.fetch(LoadBalancer.self, id: id.rawValue) else { return }
                try await statuses.setLoadBalancer(id, .active, operating: lb.adminStateUp ? .online : .offline)
            }),
        ])
    }

    struct ChangeContext: Sendable {
        let loadBalancerID: LoadBalancer.ID
        let target: ObjectRef
        let kind: ChangeKind
    }

    /// Create, update or delete of a listener, pool, member or health monitor.
    func change() -> Flow<ChangeContext> {
        let configuration = self.configuration, statuses = self.statuses
        return Flow("change-object", steps: [
            FlowStep("object-to-error-on-revert", execute: { _ in }, revert: { ctx in
                try? await statuses.fail(ctx.loadBalancerID, target: ctx.target)
            }),
            FlowStep("update-listeners", execute: { ctx in try await configuration.apply(ctx.loadBalancerID) }),
            FlowStep("mark-active-in-db", execute: { ctx in
                try await statuses.finish(ctx.loadBalancerID, target: ctx.target, kind: ctx.kind)
            }),
        ])
    }

    static func deleteChildren(of id: LoadBalancer.ID, _ tx: any StoreWriting) async throws {
        let byLB = ListQuery(filters: [("load_balancer_id", .string(id.rawValue))])
        for listener in try await tx.list(Listener.self, byLB) { try await StatusTasks.deleteListener(listener.id, tx) }
        for pool in try await tx.list(Pool.self, byLB) { try await StatusTasks.deletePool(pool.id, tx) }
    }
}
