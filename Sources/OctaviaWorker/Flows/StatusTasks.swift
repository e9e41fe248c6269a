import Foundation
import OctaviaCore

/// Status bookkeeping at the end of a flow (Octavia's `Mark*ActiveInDB` and `*ToErrorOnRevertTask`).
/// The API locked the load balancer before enqueuing, so every PENDING_UPDATE object under it
/// belongs to the job being finished.
struct StatusTasks: Sendable {
    let store: any Store
    /// The job being finished: every write here is final, so it removes the job in the same transaction.
    let job: Job.ID?

    /// Success: the target becomes ACTIVE (or its rows go, for a delete) and every parent the API
    /// locked returns to ACTIVE.
    func finish(_ lbID: LoadBalancer.ID, target: ObjectRef, kind: ChangeKind) async throws {
        try await store.write { tx in
            if kind == .delete {
                try await Self.deleteRows(of: target, tx)
            } else {
                try await Self.activate(target, tx)
            }
            try await Self.releaseParents(lbID, tx)
            if let job { try await tx.removeJob(job) }
        }
    }

    /// Failure: the target goes to ERROR, the parents back to ACTIVE.
    func fail(_ lbID: LoadBalancer.ID, target: ObjectRef) async throws {
        try await store.write { tx in
            switch target {
            case .listener(let id): try await tx.setStatus(Listener.self, id: id.rawValue, provisioning: .error, operating: nil)
            case .pool(let id): try await tx.setStatus(Pool.self, id: id.rawValue, provisioning: .error, operating: nil)
            case .member(let id): try await tx.setStatus(Member.self, id: id.rawValue, provisioning: .error, operating: nil)
            case .healthMonitor(let id):
                try await tx.setStatus(HealthMonitor.self, id: id.rawValue, provisioning: .error, operating: nil)
            case .l7policy(let id): try await tx.setStatus(L7Policy.self, id: id.rawValue, provisioning: .error, operating: nil)
            case .l7rule(let id): try await tx.setStatus(L7Rule.self, id: id.rawValue, provisioning: .error, operating: nil)
            }
            try await Self.releaseParents(lbID, tx)
            if let job { try await tx.removeJob(job) }
        }
    }

    /// Sets the load balancer's final provisioning (and optionally operating) status.
    func setLoadBalancer(_ lbID: LoadBalancer.ID, _ status: ProvisioningStatus, operating: OperatingStatus? = nil) async throws {
        try await store.write { tx in
            try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: status, operating: operating)
            if let job { try await tx.removeJob(job) }
        }
    }

    /// End of a load-balancer create: every object the (fully-populated) create inserted goes from
    /// PENDING_CREATE to `status` with the LB, in one transaction. ACTIVE: listeners and pools ONLINE,
    /// monitors, policies and rules ONLINE or OFFLINE by admin state, members keep the API's
    /// NO_MONITOR/OFFLINE. ERROR: every one ERROR.
    func finishCreate(_ lbID: LoadBalancer.ID, _ status: ProvisioningStatus, operating: OperatingStatus) async throws {
        try await store.write { tx in
            try await Self.settleCreated(lbID, status, tx)
            try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: status, operating: operating)
            if let job { try await tx.removeJob(job) }
        }
    }

    static func settleCreated(_ lbID: LoadBalancer.ID, _ status: ProvisioningStatus, _ tx: any StoreWriting) async throws {
        let active = status == .active
        let pending = ("provisioning_status", StoredValue.string(ProvisioningStatus.pendingCreate.rawValue))
        let byLB = ListQuery(filters: [("load_balancer_id", .string(lbID.rawValue))])
        for pool in try await tx.list(Pool.self, byLB) {
            if pool.provisioningStatus == .pendingCreate {
                try await tx.setStatus(Pool.self, id: pool.id.rawValue, provisioning: status, operating: active ? .online : .error)
            }
            let byPool = ListQuery(filters: [("pool_id", .string(pool.id.rawValue)), pending])
            for hm in try await tx.list(HealthMonitor.self, byPool) {
                try await tx.setStatus(HealthMonitor.self, id: hm.id.rawValue, provisioning: status,
                                       operating: active ? StatusRules.activatedOperatingStatus(adminStateUp: hm.adminStateUp) : .error)
            }
            for member in try await tx.list(Member.self, byPool) {
                try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: status, operating: active ? nil : .error)
            }
        }
        for listener in try await tx.list(Listener.self, byLB) {
            if listener.provisioningStatus == .pendingCreate {
                try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: status,
                                       operating: active ? .online : .error)
            }
            for policy in try await tx.list(L7Policy.self, ListQuery(filters: [("listener_id", .string(listener.id.rawValue))])) {
                if policy.provisioningStatus == .pendingCreate {
                    try await tx.setStatus(L7Policy.self, id: policy.id.rawValue, provisioning: status,
                                           operating: active ? StatusRules.activatedOperatingStatus(adminStateUp: policy.adminStateUp) : .error)
                }
                let byPolicy = ListQuery(filters: [("l7policy_id", .string(policy.id.rawValue)), pending])
                for rule in try await tx.list(L7Rule.self, byPolicy) {
                    try await tx.setStatus(L7Rule.self, id: rule.id.rawValue, provisioning: status,
                                           operating: active ? StatusRules.activatedOperatingStatus(adminStateUp: rule.adminStateUp) : .error)
                }
            }
        }
    }

    static func activate(_ target: ObjectRef, _ tx: any StoreWriting) async throws {
        switch target {
        case .listener(let id):
            try await tx.setStatus(Listener.self, id: id.rawValue, provisioning: .active, operating: .online)
        case .pool(let id):
            try await tx.setStatus(Pool.self, id: id.rawValue, provisioning: .active, operating: .online)
        case .member(let id):
            // Operating status comes from health checks (heartbeats); a member of a pool without a
            // monitor is NO_MONITOR, which the API already set.
            try await tx.setStatus(Member.self, id: id.rawValue, provisioning: .active, operating: nil)
        case .healthMonitor(let id):
            guard let hm = try await tx.fetch(HealthMonitor.self, id: id.rawValue) else { return }
            try await tx.setStatus(HealthMonitor.self, id: id.rawValue, provisioning: .active,
                                   operating: StatusRules.activatedOperatingStatus(adminStateUp: hm.adminStateUp))
        case .l7policy(let id):
            guard let policy = try await tx.fetch(L7Policy.self, id: id.rawValue) else { return }
            try await tx.setStatus(L7Policy.self, id: id.rawValue, provisioning: .active,
                                   operating: StatusRules.activatedOperatingStatus(adminStateUp: policy.adminStateUp))
        case .l7rule(let id):
            guard let rule = try await tx.fetch(L7Rule.self, id: id.rawValue) else { return }
            try await tx.setStatus(L7Rule.self, id: id.rawValue, provisioning: .active,
                                   operating: StatusRules.activatedOperatingStatus(adminStateUp: rule.adminStateUp))
        }
    }

    static func deleteRows(of target: ObjectRef, _ tx: any StoreWriting) async throws {
        switch target {
        case .listener(let id):
            try await deleteListener(id, tx)
        case .pool(let id):
            try await deletePool(id, tx)
        case .member(let id):
            try await tx.delete(Member.self, id: id.rawValue)
        case .healthMonitor(let id):
            guard let hm = try await tx.fetch(HealthMonitor.self, id: id.rawValue) else { return }
            try await tx.delete(HealthMonitor.self, id: id.rawValue)
            // Octavia: members of a pool whose monitor went are NO_MONITOR.
            for member in try await tx.list(Member.self, ListQuery(filters: [("pool_id", .string(hm.poolID.rawValue))])) {
                try await tx.setStatus(Member.self, id: member.id.rawValue, provisioning: nil, operating: .noMonitor)
            }
        case .l7policy(let id):
            guard let policy = try await tx.fetch(L7Policy.self, id: id.rawValue) else { return }
            try await deleteL7Policy(id, tx)
            try await renumberL7Policies(of: policy.listenerID, tx)
        case .l7rule(let id):
            try await tx.delete(L7Rule.self, id: id.rawValue)
        }
    }

    /// A listener goes with its L7 policies and their rules (Octavia's cascade).
    static func deleteListener(_ id: Listener.ID, _ tx: any StoreWriting) async throws {
        for policy in try await tx.list(L7Policy.self, ListQuery(filters: [("listener_id", .string(id.rawValue))])) {
            try await deleteL7Policy(policy.id, tx)
        }
        try await tx.delete(Listener.self, id: id.rawValue)
    }

    /// A policy goes with its rules.
    static func deleteL7Policy(_ id: L7Policy.ID, _ tx: any StoreWriting) async throws {
        for rule in try await tx.list(L7Rule.self, ListQuery(filters: [("l7policy_id", .string(id.rawValue))])) {
            try await tx.delete(L7Rule.self, id: rule.id.rawValue)
        }
        try await tx.delete(L7Policy.self, id: id.rawValue)
    }

    /// Positions 1...n again after a policy left the list (Octavia's ordering-list `reorder()`).
    static func renumberL7Policies(of listener: Listener.ID, _ tx: any StoreWriting) async throws {
        let policies = try await tx.list(L7Policy.self, ListQuery(filters: [("listener_id", .string(listener.rawValue))],
                                                                   sort: [("position", .asc), ("created_at", .asc), ("id", .asc)]))
        for (index, var policy) in policies.enumerated() where policy.position != index + 1 {
            policy.position = index + 1
            try await tx.update(policy)
        }
    }

    /// A pool goes with its members and monitor; listeners using it lose their default pool.
    static func deletePool(_ id: Pool.ID, _ tx: any StoreWriting) async throws {
        let byPool = ListQuery(filters: [("pool_id", .string(id.rawValue))])
        for member in try await tx.list(Member.self, byPool) { try await tx.delete(Member.self, id: member.id.rawValue) }
        for hm in try await tx.list(HealthMonitor.self, byPool) { try await tx.delete(HealthMonitor.self, id: hm.id.rawValue) }
        for var listener in try await tx.list(Listener.self, ListQuery(filters: [("default_pool_id", .string(id.rawValue))])) {
            listener.defaultPoolID = nil
            try await tx.update(listener)
        }
        try await tx.delete(Pool.self, id: id.rawValue)
    }

    /// Everything the API set to PENDING_UPDATE while locking goes back to ACTIVE, the LB last.
    static func releaseParents(_ lbID: LoadBalancer.ID, _ tx: any StoreWriting) async throws {
        let byLB = ListQuery(filters: [("load_balancer_id", .string(lbID.rawValue)),
                                       ("provisioning_status", .string(ProvisioningStatus.pendingUpdate.rawValue))])
        for listener in try await tx.list(Listener.self, byLB) {
            try await tx.setStatus(Listener.self, id: listener.id.rawValue, provisioning: .active, operating: nil)
        }
        // An L7 rule change locks its policy too.
        for listener in try await tx.list(Listener.self, ListQuery(filters: [("load_balancer_id", .string(lbID.rawValue))])) {
            let pending = ListQuery(filters: [("listener_id", .string(listener.id.rawValue)),
                                              ("provisioning_status", .string(ProvisioningStatus.pendingUpdate.rawValue))])
            for policy in try await tx.list(L7Policy.self, pending) {
                try await tx.setStatus(L7Policy.self, id: policy.id.rawValue, provisioning: .active, operating: nil)
            }
        }
        for pool in try await tx.list(Pool.self, byLB) {
            try await tx.setStatus(Pool.self, id: pool.id.rawValue, provisioning: .active, operating: nil)
        }
        try await tx.setStatus(LoadBalancer.self, id: lbID.rawValue, provisioning: .active, operating: nil)
    }
}
