import Foundation
import Hummingbird
import OctaviaCore

/// `PUT /loadbalancers/{id}/failover` and `PUT /octavia/amphorae/{id}/failover` (202, no body).
struct FailoverController {
    let api: APIContext

    /// LB ACTIVE or ERROR → PENDING_UPDATE, else 409 `Invalid state ...` (Octavia's `set_status_for_failover`).
    func loadBalancer(_ request: Request, id: String) async throws -> Response {
        let lbID = try await api.live(LoadBalancer.self, id).id
        try await api.store.write { tx in
            guard let lb = try await tx.fetch(LoadBalancer.self, id: lbID), lb.provisioningStatus != .deleted else {
                throw OctaviaError.notFound(LoadBalancer.resourceName, id)
            }
            guard try await tx.testAndSetStatus(lbID, expected: ProvisioningStatus.failoverable, new: .pendingUpdate) else {
                throw OctaviaError.pendingState(lb.provisioningStatus, lbID)
            }
            try await tx.enqueue(.failoverLoadBalancer(lbID))
        }
        return Response(status: .accepted)
    }

    /// The amphora's LB must be ACTIVE → PENDING_UPDATE, else 409 `Load Balancer <id> is immutable...`.
    func amphora(_ request: Request, id: String) async throws -> Response {
        let amphora = try await api.live(Amphora.self, id)
        guard let lbID = amphora.loadBalancerID else {
            // Octavia's lock needs the amphora's load balancer; a spare amphora has none.
            throw OctaviaError.notFound(LoadBalancer.resourceName, "None")
        }
        try await api.store.write { tx in
            try await api.lockLoadBalancer(tx, lbID)
            try await tx.enqueue(.failoverAmphora(lbID, amphora.id))
        }
        return Response(status: .accepted)
    }
}
