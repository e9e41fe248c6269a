import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Load balancer create with `flavor_id` / `availability_zone`.
@Suite struct CatalogLoadBalancerTests {
    @Test func flavorSetsTopologyAndIsStored() async throws {
        try await APITestHarness().run { api in
            let profile = try await api.createFlavorProfile(data: #"{"loadbalancer_topology": "ACTIVE_STANDBY"}"#)
            let flavor = try await api.createFlavor(profile: profile)
            // MUT
            let r = try await api.postLB(["flavor_id": .string(flavor)])
            // validate
            #expect(r.status == .created, "\(r.json ?? .null)")
            #expect(r["loadbalancer"]?["flavor_id"]?.stringValue == flavor)
            #expect(r["loadbalancer"]?["provider"] == "amphora")
            let id = try #require(r["loadbalancer"]?["id"]?.stringValue)
            let stored = try #require(try await api.store.reader.fetch(LoadBalancer.self, id: id))
            #expect(stored.topology == .activeStandby)
            #expect(stored.flavorID == flavor)
            // filter by flavor
            let listed = try await api.request(.get, "/v2/lbaas/loadbalancers?flavor_id=\(flavor)")
            #expect(listed["loadbalancers"]?.arrayValue?.count == 1)
            // in use: the flavor cannot be deleted
            let delete = try await api.request(.delete, "/v2/lbaas/flavors/\(flavor)")
            #expect(delete.status == .conflict)
            #expect(delete.faultstring == "Flavor \(flavor) is in use and cannot be modified.")
        }
    }

    @Test func flavorWithoutTopologyUsesConfig() async throws {
        try await APITestHarness().run { api in
            let profile = try await api.createFlavorProfile(data: #"{"compute_flavor": "m1"}"#)
            let flavor = try await api.createFlavor(profile: profile)
            let r = try await api.postLB(["flavor_id": .string(flavor)])
            let id = try #require(r["loadbalancer"]?["id"]?.stringValue)
            #expect(try await api.store.reader.fetch(LoadBalancer.self, id: id)?.topology == .single)
        }
    }

    @Test func flavorRejections() async throws {
        try await APITestHarness().run { api in
            let unknown = try await api.postLB(["flavor_id": .string(UUID().uuidString)])
            #expect(unknown.status == .badRequest)
            #expect(unknown.faultstring == "Validation failure: Invalid flavor_id.")
            let profile = try await api.createFlavorProfile()
            let disabled = try await api.createFlavor(name: "off", profile: profile, enabled: false)
            let r = try await api.postLB(["flavor_id": .string(disabled)])
            #expect(r.status == .badRequest)
            #expect(r.faultstring == "The selected flavor is not allowed in this deployment: \(disabled)")
            // explicit provider must match the flavor's
            let flavor = try await api.createFlavor(name: "on", profile: profile)
            let mismatch = try await api.postLB(["flavor_id": .string(flavor), "provider": "octavia"])
            #expect(mismatch.status == .badRequest)
            #expect(mismatch.faultstring == "Flavor '\(flavor)' is not compatible with provider 'octavia'")
            let match = try await api.postLB(["flavor_id": .string(flavor), "provider": "amphora"])
            #expect(match.status == .created)
            #expect(try await api.count(LoadBalancer.self) == 1)
        }
    }

    @Test func availabilityZone() async throws {
        try await APITestHarness().run { api in
            let profile = try await api.createZoneProfile()
            try await api.createZone(name: "az1", profile: profile)
            try await api.createZone(name: "off", profile: profile, enabled: false)
            // accepted and stored
            let ok = try await api.postLB(["availability_zone": "az1"])
            #expect(ok.status == .created)
            #expect(ok["loadbalancer"]?["availability_zone"] == "az1")
            // unknown / disabled
            let unknown = try await api.postLB(["availability_zone": "nope"])
            #expect(unknown.faultstring == "Validation failure: Invalid availability zone.")
            let disabled = try await api.postLB(["availability_zone": "off"])
            #expect(disabled.status == .badRequest)
            #expect(disabled.faultstring == "The selected availability_zone is not allowed in this deployment: off")
            // in use
            let delete = try await api.request(.delete, "/v2/lbaas/availabilityzones/az1")
            #expect(delete.status == .conflict)
            #expect(delete.faultstring == "Availability Zone az1 is in use and cannot be modified.")
        }
    }

    @Test func onlyAmphoraProvidersRunLoadBalancers() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enabledProviderDrivers["noop_driver"] = "The no-op driver."
        try await APITestHarness(options: options).run { api in
            // noop_driver runs too since the status-only worker path (NoopProviderAPITests).
            let noop = try await api.postLB(["provider": "noop_driver"])
            #expect(noop.status == .created)
            let alias = try await api.postLB(["provider": "octavia"])
            #expect(alias.status == .created)
        }
    }
}
