import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct LoadBalancerAPITests {
    @Test func createShowListUpdateDelete() async throws {
        try await APITestHarness().run { api in
            // MUT: create
            let created = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "\#(APITestHarness.subnetID)", "admin_state_up": true}}"#)
            #expect(created.status == .created)
            let lb = try #require(created["loadbalancer"])
            let id = try #require(lb["id"]?.stringValue)
            #expect(lb["name"] == "")
            #expect(lb["description"] == "")
            #expect(lb["provisioning_status"] == "PENDING_CREATE")
            #expect(lb["operating_status"] == "OFFLINE")
            #expect(lb["project_id"] == "default-project")
            #expect(lb["tenant_id"] == "default-project")
            #expect(lb["provider"] == "amphora")
            #expect(lb["vip_subnet_id"]?.stringValue == APITestHarness.subnetID)
            #expect(lb["vip_network_id"]?.stringValue == APITestHarness.networkID)
            #expect(lb["vip_address"]?.stringValue?.hasPrefix("10.0.0.") == true)
            #expect(lb["vip_port_id"]?.stringValue != nil)
            #expect(lb["listeners"] == [])
            #expect(lb["pools"] == [])
            #expect(lb["updated_at"] == .null)
            let createdAt = try #require(lb["created_at"]?.stringValue)
            #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"#, options: .regularExpression) != nil)
            #expect(try await api.jobs() == 1)

            // validate: show and list
            let shown = try await api.request(.get, "/v2/lbaas/loadbalancers/\(id)")
            #expect(shown["loadbalancer"]?["id"]?.stringValue == id)
            let listed = try await api.request(.get, "/v2.0/lbaas/loadbalancers")
            #expect(listed["loadbalancers"]?.arrayValue?.count == 1)
            #expect(listed["loadbalancers_links"] == [])

            // PUT while PENDING_CREATE → 409 LBPendingStateError
            let early = try await api.request(.put, "/v2.0/lbaas/loadbalancers/\(id)", #"{"loadbalancer": {"name": "x"}}"#)
            #expect(early.status == .conflict)
            #expect(early.faultstring == "Invalid state PENDING_CREATE of loadbalancer resource \(id)")

            try await api.activate(LoadBalancer.self, id)
            let updated = try await api.request(.put, "/v2.0/lbaas/loadbalancers/\(id)",
                                                #"{"loadbalancer": {"name": "renamed", "description": "d", "tags": ["a"]}}"#)
            #expect(updated.status == .ok)
            #expect(updated["loadbalancer"]?["name"] == "renamed")
            #expect(updated["loadbalancer"]?["tags"] == ["a"])
            #expect(updated["loadbalancer"]?["provisioning_status"] == "PENDING_UPDATE")
            #expect(updated["loadbalancer"]?["updated_at"] != .null)
            #expect(try await api.jobs() == 2)

            // DELETE while PENDING_UPDATE → 409; after ACTIVE → 204 and PENDING_DELETE
            let busy = try await api.request(.delete, "/v2.0/lbaas/loadbalancers/\(id)")
            #expect(busy.status == .conflict)
            try await api.activate(LoadBalancer.self, id)
            let deleted = try await api.request(.delete, "/v2.0/lbaas/loadbalancers/\(id)")
            #expect(deleted.status == .noContent)
            let after = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(id)")
            #expect(after["loadbalancer"]?["provisioning_status"] == "PENDING_DELETE")

            // DELETED objects are neither shown nor listed.
            try await api.store.write { try await $0.setStatus(LoadBalancer.self, id: id, provisioning: .deleted, operating: nil) }
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(id)").status == .notFound)
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers")["loadbalancers"] == [])
        }
    }

    @Test func deleteWithChildrenNeedsCascade() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            _ = try await api.createListener(lb: lb)
            let refused = try await api.request(.delete, "/v2.0/lbaas/loadbalancers/\(lb)")
            #expect(refused.status == .badRequest)
            #expect(refused.faultstring == "Validation failure: Cannot delete Load Balancer \(lb) - it has children")
            let jobs = try await api.jobs()
            let cascade = try await api.request(.delete, "/v2.0/lbaas/loadbalancers/\(lb)?cascade=True")
            #expect(cascade.status == .noContent)
            #expect(try await api.jobs() == jobs + 1)
        }
    }

    @Test func projectComesFromBodyThenHeaderThenDefault() async throws {
        try await APITestHarness().run { api in
            let fromBody = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "\#(APITestHarness.subnetID)", "tenant_id": "t1"}}"#)
            #expect(fromBody["loadbalancer"]?["project_id"] == "t1")
            let fromHeader = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "\#(APITestHarness.subnetID)"}}"#,
                headers: [HeaderName("X-Project-Id")!: "h1"])
            #expect(fromHeader["loadbalancer"]?["project_id"] == "h1")
        }
    }

    @Test func concurrentUpdatesOneWinsOneConflicts() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        try await api.request(.put, "/v2.0/lbaas/loadbalancers/\(lb)", #"{"loadbalancer": {"name": "\#(name)"}}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await api.jobs() == 2)
        }
    }

    @Test func vipRules() async throws {
        try await APITestHarness(options: APIOptions(allowVIPPortID: false)).run { api in
            let none = try await api.request(.post, "/v2.0/lbaas/loadbalancers", #"{"loadbalancer": {"name": "x"}}"#)
            #expect(none.status == .badRequest)
            #expect(none.faultstring == "Validation failure: VIP must contain one of: vip_network_id, vip_subnet_id.")
            let port = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                                             #"{"loadbalancer": {"vip_port_id": "\#(UUID().uuidString)"}}"#)
            #expect(port.faultstring == "Validation failure: use of vip_port_id is disallowed by this deployment's configuration.")
            let unknownSubnet = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                                                      #"{"loadbalancer": {"vip_subnet_id": "\#(UUID().uuidString)"}}"#)
            #expect(unknownSubnet.status == .badRequest)
            let byNetwork = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                                                  #"{"loadbalancer": {"vip_network_id": "\#(APITestHarness.networkID)"}}"#)
            #expect(byNetwork.status == .created)
            #expect(byNetwork["loadbalancer"]?["vip_subnet_id"]?.stringValue == APITestHarness.subnetID)
            let badProvider = try await api.request(.post, "/v2.0/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "\#(APITestHarness.subnetID)", "provider": "f5"}}"#)
            #expect(badProvider.faultstring == "Provider 'f5' is not enabled.")
            #expect(try await api.count(LoadBalancer.self) == 1)
        }
    }
}
