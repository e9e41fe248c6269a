import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct ListQueryTests {
    @Test func filtersFieldsSortAndPaging() async throws {
        try await APITestHarness().run { api in
            var ids: [String] = []
            for name in ["c", "a", "b"] { ids.append(try await api.createLB(name: name)) }
            let byName = try await api.request(.get, "/v2.0/lbaas/loadbalancers?name=a")
            #expect(byName["loadbalancers"]?.arrayValue?.count == 1)
            #expect(byName["loadbalancers"]?[0]?["id"]?.stringValue == ids[1])
            let byID = try await api.request(.get, "/v2.0/lbaas/loadbalancers?id=\(ids[2])")
            #expect(byID["loadbalancers"]?.arrayValue?.count == 1)
            let active = try await api.request(.get, "/v2.0/lbaas/loadbalancers?provisioning_status=ACTIVE&admin_state_up=true")
            #expect(active["loadbalancers"]?.arrayValue?.count == 3)

            let fields = try await api.request(.get, "/v2.0/lbaas/loadbalancers?fields=id&fields=name&sort=name:desc")
            let names = fields["loadbalancers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["c", "b", "a"])
            #expect(fields["loadbalancers"]?[0]?["vip_address"] == nil)
            let sortKey = try await api.request(.get, "/v2.0/lbaas/loadbalancers?sort_key=name&sort_dir=asc")
            #expect(sortKey["loadbalancers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b", "c"])

            let page1 = try await api.request(.get, "/v2.0/lbaas/loadbalancers?limit=2&sort=name")
            #expect(page1["loadbalancers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b"])
            let next = try #require(page1["loadbalancers_links"]?[0])
            #expect(next["rel"] == "next")
            let href = try #require(next["href"]?.stringValue)
            #expect(href.contains("marker=\(ids[2])"))
            let page2 = try await api.request(.get, "/v2.0/lbaas/loadbalancers?limit=2&sort=name&marker=\(ids[2])")
            #expect(page2["loadbalancers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["c"])
            #expect(page2["loadbalancers_links"]?[0]?["rel"] == "previous")

            let one = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(ids[0])?fields=name")
            #expect(one["loadbalancer"] == ["name": "c"])
        }
    }
}
