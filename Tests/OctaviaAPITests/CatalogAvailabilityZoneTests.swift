import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct CatalogAvailabilityZoneTests {
    @Test func zoneProfileCrudAndValidation() async throws {
        try await APITestHarness().run { api in
            let id = try await api.createZoneProfile(data: #"{"compute_zone": "nova", "valid_vip_networks": ["n1"]}"#)
            let listed = try await api.request(.get, "/v2/lbaas/availabilityzoneprofiles")
            #expect(listed["availability_zone_profiles"]?.arrayValue?.count == 1)
            #expect(listed["availability_zone_profile_links"] == [])
            let shown = try await api.request(.get, "/v2/lbaas/availabilityzoneprofiles/\(id)")
            #expect(shown["availability_zone_profile"]?["provider_name"] == "amphora")

            func post(_ data: String) async throws -> APIResponse {
                try await api.request(.post, "/v2/lbaas/availabilityzoneprofiles", json: ["availability_zone_profile": [
                    "name": "p", "provider_name": "amphora", "availability_zone_data": .string(data),
                ]])
            }
            let unknown = try await post(#"{"compute_flavor": "m1"}"#)
            #expect(unknown.status == .notImplemented)
            #expect(unknown.faultstring?.contains("('compute_flavor' was unexpected)") == true)
            let notArray = try await post(#"{"valid_vip_networks": "n1"}"#)
            #expect(notArray.status == .notImplemented)
            #expect(notArray.faultstring?.hasSuffix("valid_vip_networks 'n1' is not of type 'array'") == true)
            let notJSON = try await post("[")
            #expect(notJSON.faultstring == "[ is not a valid option for availability_zone_data")

            // in use by a zone
            try await api.createZone(profile: id)
            let inUse = try await api.request(.put, "/v2/lbaas/availabilityzoneprofiles/\(id)",
                                              json: ["availability_zone_profile": ["provider_name": "octavia"]])
            #expect(inUse.status == .conflict)
            #expect(inUse.faultstring == "Availability Zone Profile \(id) is in use and cannot be modified.")
            #expect(try await api.request(.delete, "/v2/lbaas/availabilityzoneprofiles/\(id)").status == .conflict)
            #expect(try await api.request(.delete, "/v2/lbaas/availabilityzones/az1").status == .noContent)
            #expect(try await api.request(.delete, "/v2/lbaas/availabilityzoneprofiles/\(id)").status == .noContent)
        }
    }

    @Test func zonesAreKeyedByName() async throws {
        try await APITestHarness().run { api in
            let profile = try await api.createZoneProfile()
            // MUT
            try await api.createZone(name: "az1", profile: profile)
            // validate
            let shown = try await api.request(.get, "/v2/lbaas/availabilityzones/az1")
            #expect(shown["availability_zone"] == [
                "name": "az1", "description": "", "enabled": true, "availability_zone_profile_id": .string(profile),
            ])
            let duplicate = try await api.request(.post, "/v2/lbaas/availabilityzones", json: ["availability_zone": [
                "name": "az1", "availability_zone_profile_id": .string(profile),
            ]])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.faultstring == "A availability zone of az1 already exists.")
            let missingProfile = try await api.request(.post, "/v2/lbaas/availabilityzones", json: ["availability_zone": [
                "name": "az2",
            ]])
            #expect(missingProfile.status == .badRequest)
            // PUT: description and enabled only
            let updated = try await api.request(.put, "/v2/lbaas/availabilityzones/az1", json: ["availability_zone": [
                "description": "d", "enabled": false,
            ]])
            #expect(updated["availability_zone"]?["enabled"] == false)
            #expect(updated["availability_zone"]?["description"] == "d")
            let rename = try await api.request(.put, "/v2/lbaas/availabilityzones/az1", json: ["availability_zone": ["name": "x"]])
            #expect(rename.status == .badRequest)
            // list: envelope and name filter
            let listed = try await api.request(.get, "/v2/lbaas/availabilityzones?name=az1")
            #expect(listed["availability_zones"]?.arrayValue?.count == 1)
            #expect(listed["availability_zones_links"] == [])
            let missing = try await api.request(.get, "/v2/lbaas/availabilityzones/nope")
            #expect(missing.status == .notFound)
            #expect(missing.faultstring == "Availability Zone nope not found.")
        }
    }
}
