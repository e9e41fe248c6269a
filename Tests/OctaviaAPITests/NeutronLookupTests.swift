import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct NeutronLookupTests {
    @Test func subnetsAndNetworksByIDAndName() async throws {
        try await APITestHarness().run { api in
            for prefix in ["/v2", "/v2.0"] {
                let byID = try await api.request(.get, "\(prefix)/subnets?id=\(APITestHarness.subnetID)")
                #expect(byID.status == .ok)
                let subnet = try #require(byID["subnets"]?[0])
                #expect(subnet["cidr"] == "10.0.0.0/24")
                #expect(subnet["network_id"]?.stringValue == APITestHarness.networkID)
                #expect(subnet["ip_version"] == 4)
                #expect(subnet["gateway_ip"] == "10.0.0.1")
                #expect(subnet["tenant_id"] == "p1")
                #expect(try await api.request(.get, "\(prefix)/subnets?name=public-subnet")["subnets"]?.arrayValue?.count == 1)
                #expect(try await api.request(.get, "\(prefix)/subnets?name=other")["subnets"] == [])
                #expect(try await api.request(.get, "\(prefix)/subnets?id=\(UUID().uuidString)&id=\(APITestHarness.subnetID)")["subnets"]?
                    .arrayValue?.count == 1)
                #expect(try await api.request(.get, "\(prefix)/networks?name=public")["networks"]?[0]?["id"]?.stringValue
                    == APITestHarness.networkID)
                #expect(try await api.request(.get, "\(prefix)/networks/\(APITestHarness.networkID)")["network"]?["subnets"]
                    == [.string(APITestHarness.subnetID)])
                let missing = try await api.request(.get, "\(prefix)/subnets/\(UUID().uuidString)")
                #expect(missing.status == .notFound)
                #expect(missing["NeutronError"]?["type"] == "SubnetNotFound")
            }
        }
    }
}
