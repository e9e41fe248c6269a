import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// `provider=noop_driver`: accepted like Octavia's noop provider (no 501), and the amphora
/// driver's own refusals do not apply to it.
@Suite struct NoopProviderAPITests {
    static var options: APIOptions {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.enabledProviderDrivers["noop_driver"] = "The no-op driver."
        return options
    }

    @Test func createOnNoopProvider() async throws {
        try await APITestHarness(options: Self.options).run { api in
            let r = try await api.postLB(["provider": "noop_driver"])
            #expect(r.status == .created, "\(r.json ?? .null)")
            #expect(r["loadbalancer"]?["provider"] == "noop_driver")
            #expect(try await api.jobs() == 1)
        }
    }

    @Test func fullyPopulatedCreateOnNoopProvider() async throws {
        try await APITestHarness(options: Self.options).run { api in
            let r = try await api.postLB(["provider": "noop_driver", "listeners": [[
                "protocol": "TCP", "protocol_port": 80,
                "default_pool": ["name": "p", "protocol": "TCP", "lb_algorithm": "SOURCE_IP_PORT"],
            ]]])
            #expect(r.status == .created, "\(r.json ?? .null)")
            #expect(try await api.count(Pool.self) == 1)
        }
    }

    @Test func sourceIPPortOnlyRefusedByAmphora() async throws {
        try await APITestHarness(options: Self.options).run { api in
            let noop = try #require(try await api.postLB(["provider": "noop_driver"])["loadbalancer"]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, noop)
            let amphora = try await api.createLB(name: "amp")
            for (lb, expected) in [(noop, HTTPResponse.Status.created), (amphora, .notImplemented)] {
                let r = try await api.request(.post, "/v2/lbaas/pools", json: ["pool": [
                    "loadbalancer_id": .string(lb), "protocol": "TCP", "lb_algorithm": "SOURCE_IP_PORT",
                ]])
                #expect(r.status == expected, "\(r.json ?? .null)")
            }
        }
    }

    @Test func notEnabledIsStill400() async throws {
        try await APITestHarness().run { api in
            let r = try await api.postLB(["provider": "noop_driver"])
            #expect(r.status == .badRequest)
            #expect(r.faultstring == "Provider 'noop_driver' is not enabled.")
        }
    }
}
