import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct CatalogFlavorTests {
    @Test func flavorProfileCrudAndEnvelope() async throws {
        try await APITestHarness().run { api in
            // MUT: create
            let id = try await api.createFlavorProfile()
            // validate: show, list with the singular links key
            let shown = try await api.request(.get, "/v2/lbaas/flavorprofiles/\(id)")
            #expect(shown["flavorprofile"] == [
                "id": .string(id), "name": "fp", "provider_name": "amphora",
                "flavor_data": #"{"loadbalancer_topology": "ACTIVE_STANDBY"}"#,
            ])
            let listed = try await api.request(.get, "/v2/lbaas/flavorprofiles?fields=id")
            #expect(listed["flavorprofiles"] == [["id": .string(id)]])
            #expect(listed["flavorprofile_links"] == [])
            // update, then delete
            let renamed = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)", json: ["flavorprofile": ["name": "fp2"]])
            #expect(renamed.status == .ok)
            #expect(renamed["flavorprofile"]?["name"] == "fp2")
            #expect(try await api.request(.delete, "/v2/lbaas/flavorprofiles/\(id)").status == .noContent)
            let gone = try await api.request(.get, "/v2/lbaas/flavorprofiles/\(id)")
            #expect(gone.status == .notFound)
            #expect(gone.faultstring == "Flavor Profile \(id) not found.")
        }
    }

    @Test func flavorDataValidation() async throws {
        try await APITestHarness().run { api in
            func post(_ provider: String, _ data: String) async throws -> APIResponse {
                try await api.request(.post, "/v2/lbaas/flavorprofiles", json: ["flavorprofile": [
                    "name": "fp", "provider_name": .string(provider), "flavor_data": .string(data),
                ]])
            }
            // Accepted: every amphora key with a valid value.
            let ok = try await post("amphora", #"{"loadbalancer_topology": "SINGLE", "compute_flavor": "m1", "#
                + #""amp_image_tag": "t", "sriov_vip": false, "allow_member_sriov": true}"#)
            #expect(ok.status == .created)
            // Not JSON: 400 InvalidOption.
            let notJSON = try await post("amphora", "{nope")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.faultstring == "{nope is not a valid option for flavor_data")
            // Unknown key: the driver's schema refuses it (Octavia: 501 ProviderUnsupportedOptionError).
            let unknown = try await post("amphora", #"{"foo": 1}"#)
            #expect(unknown.status == .notImplemented)
            #expect(unknown.faultstring
                == "Provider 'amphora' does not support a requested option: Additional properties are not allowed ('foo' was unexpected)")
            // Topology must be SINGLE or ACTIVE_STANDBY.
            let topology = try await post("amphora", #"{"loadbalancer_topology": "TRIPLE"}"#)
            #expect(topology.status == .notImplemented)
            #expect(topology.faultstring == "Provider 'amphora' does not support a requested option: "
                + "loadbalancer_topology 'TRIPLE' is not one of ['ACTIVE_STANDBY', 'SINGLE']")
            // Booleans must be booleans.
            let sriov = try await post("amphora", #"{"sriov_vip": "yes"}"#)
            #expect(sriov.status == .notImplemented)
            #expect(sriov.faultstring?.hasSuffix("sriov_vip 'yes' is not of type 'boolean'") == true)
            // Provider must be enabled.
            let provider = try await post("bogus", "{}")
            #expect(provider.status == .badRequest)
            #expect(provider.faultstring == "Provider 'bogus' is not enabled.")
            // Mandatory fields and lengths (WSME).
            let missing = try await api.request(.post, "/v2/lbaas/flavorprofiles",
                                                json: ["flavorprofile": ["name": "x", "provider_name": "amphora"]])
            #expect(missing.faultstring == "Invalid input for field/attribute flavor_data. Value: 'None'. Mandatory field missing.")
            let long = try await post("amphora", String(repeating: " ", count: 4097))
            #expect(long.status == .badRequest)
        }
    }

    @Test func noopProviderAcceptsAnyFlavorData() async throws {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enabledProviderDrivers["noop_driver"] = "The no-op driver."
        try await APITestHarness(options: options).run { api in
            _ = try await api.createFlavorProfile(provider: "noop_driver", data: #"{"hello": "world"}"#)
            let caps = try await api.request(.get, "/v2/lbaas/providers/noop_driver/flavor_capabilities")
            #expect(caps["flavor_capabilities"]?.arrayValue?.count == 1)
        }
    }

    @Test func flavorProfileUpdateRules() async throws {
        try await APITestHarness().run { api in
            let id = try await api.createFlavorProfile()
            // null is refused
            let null = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)", #"{"flavorprofile": {"name": null}}"#)
            #expect(null.status == .badRequest)
            #expect(null.faultstring == "None is not a valid option for name")
            // new data is validated
            let bad = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)",
                                            json: ["flavorprofile": ["flavor_data": #"{"x": 1}"#]])
            #expect(bad.status == .notImplemented)
            let good = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)",
                                             json: ["flavorprofile": ["flavor_data": #"{"compute_flavor": "m1"}"#]])
            #expect(good.status == .ok)
            // in use by a flavor: data/provider changes and delete are 409, renaming is fine
            _ = try await api.createFlavor(profile: id)
            let inUse = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)",
                                              json: ["flavorprofile": ["flavor_data": "{}"]])
            #expect(inUse.status == .conflict)
            #expect(inUse.faultstring == "Flavor profile \(id) is in use and cannot be modified.")
            let rename = try await api.request(.put, "/v2/lbaas/flavorprofiles/\(id)", json: ["flavorprofile": ["name": "n"]])
            #expect(rename.status == .ok)
            let delete = try await api.request(.delete, "/v2/lbaas/flavorprofiles/\(id)")
            #expect(delete.status == .conflict)
            let nilID = try await api.request(.delete, "/v2/lbaas/flavorprofiles/\(Flavor.nilID)")
            #expect(nilID.status == .notFound)
            #expect(nilID.faultstring == "Flavor profile \(Flavor.nilID) not found.")
        }
    }

    @Test func flavorCrudAndRules() async throws {
        try await APITestHarness().run { api in
            let profile = try await api.createFlavorProfile()
            // MUT: create
            let created = try await api.request(.post, "/v2/lbaas/flavors", json: ["flavor": [
                "name": "gold", "flavor_profile_id": .string(profile),
            ]])
            #expect(created.status == .created)
            let id = try #require(created["flavor"]?["id"]?.stringValue)
            #expect(created["flavor"] == [
                "id": .string(id), "name": "gold", "description": "", "enabled": true, "flavor_profile_id": .string(profile),
            ])
            // unique name
            let duplicate = try await api.request(.post, "/v2/lbaas/flavors", json: ["flavor": [
                "name": "gold", "flavor_profile_id": .string(profile),
            ]])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.faultstring == "A flavor of gold already exists.")
            // profile required, a UUID, and existing
            let noProfile = try await api.request(.post, "/v2/lbaas/flavors", json: ["flavor": ["name": "x"]])
            #expect(noProfile.faultstring
                == "Invalid input for field/attribute flavor_profile_id. Value: 'None'. Mandatory field missing.")
            let badProfile = try await api.request(.post, "/v2/lbaas/flavors", json: ["flavor": [
                "name": "x", "flavor_profile_id": "bogus",
            ]])
            #expect(badProfile.faultstring == "Invalid input for field/attribute flavor_profile_id. Value: 'bogus'. Value should be UUID format")
            let unknownProfile = try await api.request(.post, "/v2/lbaas/flavors", json: ["flavor": [
                "name": "x", "flavor_profile_id": .string(UUID().uuidString.lowercased()),
            ]])
            #expect(unknownProfile.status == .badRequest)
            // update: name/description/enabled; the profile is immutable
            let updated = try await api.request(.put, "/v2/lbaas/flavors/\(id)", json: ["flavor": [
                "name": "silver", "description": "d", "enabled": false,
            ]])
            #expect(updated.status == .ok)
            #expect(updated["flavor"]?["name"] == "silver")
            #expect(updated["flavor"]?["enabled"] == false)
            let immutable = try await api.request(.put, "/v2/lbaas/flavors/\(id)", json: ["flavor": [
                "flavor_profile_id": .string(profile),
            ]])
            #expect(immutable.status == .badRequest)
            #expect(immutable.faultstring == "Unknown attribute for argument flavor_.flavor: flavor_profile_id")
            // rename onto an existing name is a conflict too
            _ = try await api.createFlavor(name: "bronze", profile: profile)
            let clash = try await api.request(.put, "/v2/lbaas/flavors/\(id)", json: ["flavor": ["name": "bronze"]])
            #expect(clash.status == .conflict)
            // list filters
            let enabledOnly = try await api.request(.get, "/v2/lbaas/flavors?enabled=true")
            #expect(enabledOnly["flavors"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["bronze"])
            #expect(enabledOnly["flavors_links"] == [])
            // nil UUID reserved
            for method in [HTTPRequest.Method.get, .delete] {
                let r = try await api.request(method, "/v2/lbaas/flavors/\(Flavor.nilID)")
                #expect(r.status == .notFound)
                #expect(r.faultstring == "Flavor \(Flavor.nilID) not found.")
            }
            let putNil = try await api.request(.put, "/v2/lbaas/flavors/\(Flavor.nilID)", json: ["flavor": ["name": "z"]])
            #expect(putNil.status == .notFound)
            // delete
            #expect(try await api.request(.delete, "/v2/lbaas/flavors/\(id)").status == .noContent)
            #expect(try await api.request(.get, "/v2/lbaas/flavors/\(id)").status == .notFound)
        }
    }
}
