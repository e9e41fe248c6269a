import Foundation
import Hummingbird
import Testing

@testable import OctaviaAPI

/// Catalog fixtures: profiles, flavors and zones created through the API.
extension APIClient {
    func createFlavorProfile(provider: String = "amphora", data: String = #"{"loadbalancer_topology": "ACTIVE_STANDBY"}"#)
        async throws -> String
    {
        let r = try await request(.post, "/v2.0/lbaas/flavorprofiles", json: ["flavorprofile": [
            "name": "fp", "provider_name": .string(provider), "flavor_data": .string(data),
        ]])
        #expect(r.status == .created, "\(r.json ?? .null)")
        return try #require(r["flavorprofile"]?["id"]?.stringValue)
    }

    func createFlavor(name: String = "gold", profile: String, enabled: Bool = true) async throws -> String {
        let r = try await request(.post, "/v2.0/lbaas/flavors", json: ["flavor": [
            "name": .string(name), "flavor_profile_id": .string(profile), "enabled": .bool(enabled),
        ]])
        #expect(r.status == .created, "\(r.json ?? .null)")
        return try #require(r["flavor"]?["id"]?.stringValue)
    }

    func createZoneProfile(data: String = #"{"compute_zone": "nova"}"#) async throws -> String {
        let r = try await request(.post, "/v2.0/lbaas/availabilityzoneprofiles", json: ["availability_zone_profile": [
            "name": "azp", "provider_name": "amphora", "availability_zone_data": .string(data),
        ]])
        #expect(r.status == .created, "\(r.json ?? .null)")
        return try #require(r["availability_zone_profile"]?["id"]?.stringValue)
    }

    func createZone(name: String = "az1", profile: String, enabled: Bool = true) async throws {
        let r = try await request(.post, "/v2.0/lbaas/availabilityzones", json: ["availability_zone": [
            "name": .string(name), "availability_zone_profile_id": .string(profile), "enabled": .bool(enabled),
        ]])
        #expect(r.status == .created, "\(r.json ?? .null)")
    }

    /// POSTs a load balancer on the test subnet with extra attributes.
    func postLB(_ extra: [String: JSONValue] = [:], headers: HTTPFields = [:]) async throws -> APIResponse {
        var lb: [String: JSONValue] = ["vip_subnet_id": .string(APITestHarness.subnetID)]
        lb.merge(extra) { $1 }
        let body = JSONValue.object(["loadbalancer": .object(lb)])
        return try await request(.post, "/v2/lbaas/loadbalancers", String(decoding: body.encoded(), as: UTF8.self),
                                 headers: headers)
    }
}
