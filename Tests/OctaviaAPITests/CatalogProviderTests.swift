import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct CatalogProviderTests {
    @Test func listsEnabledProvidersWithFields() async throws {
        try await APITestHarness().run { api in
            // MUT
            let all = try await api.request(.get, "/v2/lbaas/providers")
            let names = try await api.request(.get, "/v2/lbaas/providers?fields=name")
            // validate
            #expect(all.status == .ok)
            #expect(all["providers"] == [
                ["name": "amphora", "description": "The Octavia Amphora driver."],
                ["name": "octavia", "description": "Deprecated alias of the Octavia Amphora driver."],
            ])
            #expect(all["providers_links"] == nil)
            #expect(names["providers"] == [["name": "amphora"], ["name": "octavia"]])
        }
    }

    @Test func flavorCapabilitiesWithFilters() async throws {
        try await APITestHarness().run { api in
            let all = try await api.request(.get, "/v2/lbaas/providers/amphora/flavor_capabilities")
            #expect(all.status == .ok)
            let names = all["flavor_capabilities"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["loadbalancer_topology", "compute_flavor", "amp_image_tag", "sriov_vip", "allow_member_sriov"])

            let byName = try await api.request(.get, "/v2/lbaas/providers/octavia/flavor_capabilities?name=compute_flavor")
            #expect(byName["flavor_capabilities"] == [["name": "compute_flavor", "description": "The compute driver flavor ID."]])
            let byDescription = try await api.request(
                .get, "/v2/lbaas/providers/amphora/flavor_capabilities?description=The%20amphora%20image%20tag.&fields=name")
            #expect(byDescription["flavor_capabilities"] == [["name": "amp_image_tag"]])
            let noMatch = try await api.request(.get, "/v2/lbaas/providers/amphora/flavor_capabilities?name=nope")
            #expect(noMatch["flavor_capabilities"] == [])
        }
    }

    @Test func availabilityZoneCapabilities() async throws {
        try await APITestHarness().run { api in
            let all = try await api.request(.get, "/v2.0/lbaas/providers/amphora/availability_zone_capabilities")
            let names = all["availability_zone_capabilities"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["compute_zone", "volume_zone", "management_network", "valid_vip_networks"])
        }
    }

    @Test func unknownProviders() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enabledProviderDrivers["vendor"] = "A driver this build does not have."
        try await APITestHarness(options: options).run { api in
            // Not enabled: 400 ProviderNotEnabled.
            let disabled = try await api.request(.get, "/v2/lbaas/providers/bogus/flavor_capabilities")
            #expect(disabled.status == .badRequest)
            #expect(disabled.faultstring == "Provider 'bogus' is not enabled.")
            // Enabled but not loadable: 501 ProviderNotFound.
            let missing = try await api.request(.get, "/v2/lbaas/providers/vendor/availability_zone_capabilities")
            #expect(missing.status == .notImplemented)
            #expect(missing.faultstring == "Provider 'vendor' was not found.")
        }
    }
}
