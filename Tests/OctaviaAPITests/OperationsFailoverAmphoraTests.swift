import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Load balancer and amphora failover, and the admin amphora API.
@Suite struct OperationsFailoverAmphoraTests {
    static let missing = "0b3f6a5e-8d1c-4c9e-9a55-3b1f2e4d6c7a"

    func lbStatus(_ api: APIClient, _ lb: String) async throws -> String? {
        try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)")["loadbalancer"]?["provisioning_status"]?.stringValue
    }

    func setLB(_ api: APIClient, _ lb: String, _ status: ProvisioningStatus) async throws {
        try await api.store.write { try await $0.setStatus(LoadBalancer.self, id: lb, provisioning: status, operating: nil) }
    }

    @Test func loadBalancerFailoverFromActiveOrError() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let jobs = try await api.jobs()
            let r = try await api.request(.put, "/v2/lbaas/loadbalancers/\(lb)/failover")
            #expect(r.status == .accepted)
            #expect(r.json == nil)
            #expect(try await lbStatus(api, lb) == "PENDING_UPDATE")
            #expect(try await api.jobs() == jobs + 1)

            // PENDING_UPDATE: refused with the LB's state.
            let busy = try await api.request(.put, "/v2.0/lbaas/loadbalancers/\(lb)/failover")
            #expect(busy.status == .conflict)
            #expect(busy.faultstring == "Invalid state PENDING_UPDATE of loadbalancer resource \(lb)")

            try await setLB(api, lb, .error)
            #expect(try await api.request(.put, "/v2/loadbalancers/\(lb)/failover").status == .accepted)
            #expect(try await lbStatus(api, lb) == "PENDING_UPDATE")

            let unknown = try await api.request(.put, "/v2/lbaas/loadbalancers/\(Self.missing)/failover")
            #expect(unknown.status == .notFound)
            #expect(unknown.faultstring == "Load Balancer \(Self.missing) not found.")
            #expect(try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)/failover").status == .methodNotAllowed)
        }
    }

    /// An amphora row as the worker leaves it.
    func amphora(_ api: APIClient, lb: String, status: AmphoraStatus = .allocated) async throws -> Amphora {
        let amphora = Amphora(loadBalancerID: try #require(LoadBalancer.ID(lb)), computeID: "amp-ns", lbNetworkIP: "unix:/run/amp.sock",
                              vrrpIP: "10.0.0.101", haIP: "10.0.0.100", role: .standalone, status: status,
                              certExpiration: Date(timeIntervalSince1970: 1_900_000_000), vrrpInterface: "eth1")
        try await api.store.write { try await $0.insert(amphora) }
        return amphora
    }

    @Test func amphoraFailoverNeedsAnActiveLoadBalancer() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let amp = try await amphora(api, lb: lb)
            let r = try await api.request(.put, "/v2/octavia/amphorae/\(amp.id)/failover")
            #expect(r.status == .accepted)
            #expect(try await lbStatus(api, lb) == "PENDING_UPDATE")
            let again = try await api.request(.put, "/v2/octavia/amphorae/\(amp.id)/failover")
            #expect(again.status == .conflict)
            #expect(again.faultstring == "Load Balancer \(lb) is immutable and cannot be updated.")
            // Unlike the LB failover, an ERROR load balancer is not accepted here.
            try await setLB(api, lb, .error)
            #expect(try await api.request(.put, "/v2/octavia/amphorae/\(amp.id)/failover").status == .conflict)
            let unknown = try await api.request(.put, "/v2/octavia/amphorae/\(Self.missing)/failover")
            #expect(unknown.status == .notFound)
            #expect(unknown.faultstring == "Amphora \(Self.missing) not found.")
        }
    }

    @Test func amphoraShowAndList() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let amp = try await amphora(api, lb: lb)
            _ = try await amphora(api, lb: lb, status: .deleted)
            let other = try await amphora(api, lb: lb, status: .error)

            let show = try await api.request(.get, "/v2/octavia/amphorae/\(amp.id)")
            #expect(show.status == .ok)
            let body = try #require(show["amphora"])
            #expect(body["loadbalancer_id"] == .string(lb))
            #expect(body["load_balancer_id"] == nil)
            #expect(body["status"] == "ALLOCATED")
            #expect(body["role"] == "STANDALONE")
            #expect(body["ha_ip"] == "10.0.0.100")
            #expect(body["cert_busy"] == false)
            #expect(body["cert_expiration"] == "2030-03-17T17:46:40")
            #expect(body["vrrp_id"] == .null)
            for key in ["id", "compute_id", "lb_network_ip", "vrrp_ip", "vrrp_port_id", "ha_port_id", "vrrp_interface",
                        "vrrp_priority", "cached_zone", "created_at", "updated_at", "image_id", "compute_flavor"] {
                #expect(body[key] != nil, "missing \(key)")
            }
            let fields = try await api.request(.get, "/v2/octavia/amphorae/\(amp.id)?fields=id&fields=status")
            #expect(fields["amphora"] == ["id": .string(amp.id.rawValue), "status": "ALLOCATED"])

            // DELETED amphorae are hidden; filters work on API names.
            let all = try await api.request(.get, "/v2/octavia/amphorae")
            #expect(all["amphorae"]?.arrayValue?.count == 2)
            #expect(all["amphorae_links"] == [])
            let errors = try await api.request(.get, "/v2/octavia/amphorae?status=ERROR&fields=id")
            #expect(errors["amphorae"] == [["id": .string(other.id.rawValue)]])
            let byLB = try await api.request(.get, "/v2.0/octavia/amphorae?loadbalancer_id=\(lb)")
            #expect(byLB["amphorae"]?.arrayValue?.count == 2)
            #expect(try await api.request(.get, "/v2/octavia/amphorae?name=x").status == .badRequest)
            // `project_id` matches the load balancer's project.
            let byProject = try await api.request(.get, "/v2/octavia/amphorae?project_id=default-project&fields=id")
            #expect(byProject["amphorae"]?.arrayValue?.count == 2)
            let otherProject = try await api.request(.get, "/v2/octavia/amphorae?project_id=someone-else")
            #expect(otherProject["amphorae"] == [])

            #expect(try await api.request(.get, "/v2/octavia/amphorae/\(Self.missing)").status == .notFound)
            #expect(try await api.request(.get, "/v2/octavia/amphorae/not-a-uuid").status == .notFound)
            #expect(try await api.request(.post, "/v2/octavia/amphorae").status == .methodNotAllowed)
        }
    }

    @Test func amphoraConfigIsAccepted() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let amp = try await amphora(api, lb: lb)
            let r = try await api.request(.put, "/v2/octavia/amphorae/\(amp.id)/config")
            #expect(r.status == .accepted)
            #expect(r.json == nil)
            #expect(try await api.request(.put, "/v2/octavia/amphorae/\(Self.missing)/config").status == .notFound)
        }
    }

    @Test func onlyAnErrorAmphoraCanBeDeleted() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let healthy = try await amphora(api, lb: lb)
            let broken = try await amphora(api, lb: lb, status: .error)
            let refused = try await api.request(.delete, "/v2/octavia/amphorae/\(healthy.id)")
            #expect(refused.status == .conflict)
            #expect(refused.faultstring == "amphora \(healthy.id) is immutable and cannot be updated.")

            let jobs = try await api.jobs()
            #expect(try await api.request(.delete, "/v2/octavia/amphorae/\(broken.id)").status == .noContent)
            #expect(try await api.store.reader.fetch(Amphora.self, id: broken.id)?.status == .pendingDelete)
            #expect(try await api.jobs() == jobs + 1)
            #expect(try await api.request(.delete, "/v2/octavia/amphorae/\(broken.id)").status == .conflict)
            #expect(try await api.request(.delete, "/v2/octavia/amphorae/\(Self.missing)").status == .notFound)
        }
    }
}
