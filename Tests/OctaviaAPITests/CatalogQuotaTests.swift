import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct CatalogQuotaTests {
    static let project = "5b2f0c1e-project"

    @Test func emptyListAndDefaults() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.quotaDefaults.listener = 7
        try await APITestHarness(options: options).run { api in
            let list = try await api.request(.get, "/v2/lbaas/quotas")
            #expect(list.json == ["quotas": [], "quotas_links": []])
            let defaults = try await api.request(.get, "/v2/lbaas/quotas/\(Self.project)/default")
            #expect(defaults["quota"] == [
                "project_id": .string(Self.project), "tenant_id": .string(Self.project),
                "load_balancer": -1, "loadbalancer": -1, "listener": 7, "pool": -1, "health_monitor": -1,
                "healthmonitor": -1, "member": -1, "l7policy": -1, "l7rule": -1,
            ])
            // A project without a row gets the defaults.
            let effective = try await api.request(.get, "/v2/lbaas/quotas/\(Self.project)")
            #expect(effective["quota"] == defaults["quota"])
        }
    }

    @Test func putShowListReset() async throws {
        try await APITestHarness().run { api in
            // MUT: deprecated and new names, null = default
            let put = try await api.request(.put, "/v2/lbaas/quotas/\(Self.project)",
                #"{"quota": {"load_balancer": 5, "healthmonitor": 3, "listener": null, "member": 0}}"#)
            // validate
            #expect(put.status == .accepted)
            #expect(put["quota"]?["loadbalancer"] == 5)
            #expect(put["quota"]?["load_balancer"] == 5)
            #expect(put["quota"]?["health_monitor"] == 3)
            #expect(put["quota"]?["listener"] == -1)
            #expect(put["quota"]?["member"] == 0)
            let list = try await api.request(.get, "/v2/lbaas/quotas")
            let row = try #require(list["quotas"]?[0])
            #expect(row["project_id"]?.stringValue == Self.project)
            #expect(row["listener"] == .null)
            #expect(row["pool"] == .null)
            #expect(row["loadbalancer"] == 5)
            let filtered = try await api.request(.get, "/v2/lbaas/quotas?project_id=other")
            #expect(filtered["quotas"] == [])
            // the new name wins over the deprecated one
            let both = try await api.request(.put, "/v2/lbaas/quotas/\(Self.project)",
                                             #"{"quota": {"load_balancer": 1, "loadbalancer": 2}}"#)
            #expect(both["quota"]?["loadbalancer"] == 2)
            // reset
            let reset = try await api.request(.delete, "/v2/lbaas/quotas/\(Self.project)")
            #expect(reset.status == .accepted)
            #expect(reset.json == nil)
            let after = try await api.request(.get, "/v2/lbaas/quotas/\(Self.project)")
            #expect(after["quota"]?["loadbalancer"] == -1)
            let missing = try await api.request(.delete, "/v2/lbaas/quotas/bogus")
            #expect(missing.status == .notFound)
            #expect(missing.faultstring == "Quotas bogus not found.")
        }
    }

    @Test func putValidation() async throws {
        try await APITestHarness().run { api in
            for ok in [-1, 0, 2_000_000_000] {
                let r = try await api.request(.put, "/v2/lbaas/quotas/p", json: ["quota": ["pool": .int(ok)]])
                #expect(r.status == .accepted)
            }
            let low = try await api.request(.put, "/v2/lbaas/quotas/p", json: ["quota": ["pool": -2]])
            #expect(low.status == .badRequest)
            #expect(low.faultstring == "Invalid input for field/attribute pool. Value: '-2'. Value should be greater or equal to -1")
            let high = try await api.request(.put, "/v2/lbaas/quotas/p", json: ["quota": ["pool": 2_000_000_001]])
            #expect(high.status == .badRequest)
            let text = try await api.request(.put, "/v2/lbaas/quotas/p", json: ["quota": ["pool": "ten"]])
            #expect(text.status == .badRequest)
            let unknown = try await api.request(.put, "/v2/lbaas/quotas/p", json: ["quota": ["widgets": 1]])
            #expect(unknown.faultstring == "Unknown attribute for argument quotas.quota: widgets")
        }
    }

    @Test func sortedByLimit() async throws {
        try await APITestHarness().run { api in
            for (project, limit) in [("a", 3), ("b", 1), ("c", 2)] {
                _ = try await api.request(.put, "/v2/lbaas/quotas/\(project)", json: ["quota": ["load_balancer": .int(limit)]])
            }
            let desc = try await api.request(.get, "/v2/lbaas/quotas?sort=load_balancer:desc")
            #expect(desc["quotas"]?.arrayValue?.compactMap { $0["project_id"]?.stringValue } == ["a", "c", "b"])
        }
    }
}
