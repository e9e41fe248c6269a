import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// `GET /loadbalancers/{id}/status|statuses|stats`, `/listeners/{id}/stats`, `/octavia/amphorae/{id}/stats`.
@Suite struct OperationsStatusStatsTests {
    @Test func statusTreeHasOctaviasShape() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let listener = try await api.createListener(lb: lb)
            let pool = try await api.createPool(listener: listener)
            let member = Member(projectID: ProjectID("p"), poolID: try #require(Pool.ID(pool)), provisioningStatus: .active,
                                operatingStatus: .online, address: "10.0.0.20", protocolPort: 8080)
            try await api.store.write { try await $0.insert(member) }

            for suffix in ["status", "statuses"] {
                let r = try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)/\(suffix)")
                #expect(r.status == .ok)
                let expected: JSONValue = ["statuses": ["loadbalancer": [
                    "id": .string(lb), "name": "lb1", "operating_status": "ONLINE", "provisioning_status": "ACTIVE",
                    "listeners": [[
                        "id": .string(listener), "name": "l1", "operating_status": "ONLINE", "provisioning_status": "ACTIVE",
                        "pools": [[
                            "id": .string(pool), "name": "pool1", "provisioning_status": "ACTIVE", "operating_status": "ONLINE",
                            "members": [[
                                "id": .string(member.id.rawValue), "name": "", "operating_status": "ONLINE",
                                "provisioning_status": "ACTIVE", "address": "10.0.0.20", "protocol_port": 8080,
                            ]],
                        ]],
                    ]],
                ]]]
                #expect(r.json == expected)
            }

            // A health monitor appears under `health_monitor`.
            let hm = HealthMonitor(projectID: ProjectID("p"), poolID: try #require(Pool.ID(pool)), name: nil,
                                   provisioningStatus: .active, operatingStatus: .online, type: .http, delay: 5,
                                   timeout: 3, maxRetries: 3)
            try await api.store.write { try await $0.insert(hm) }
            let withHM = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)/status")
            let poolNode = withHM["statuses"]?["loadbalancer"]?["listeners"]?[0]?["pools"]?[0]
            #expect(poolNode?["health_monitor"] == [
                "id": .string(hm.id.rawValue), "name": "", "type": "HTTP", "provisioning_status": "ACTIVE",
                "operating_status": "ONLINE",
            ])
            #expect(poolNode?["healthmonitor"] == nil)
        }
    }

    @Test func statusOfListenerWithoutPoolAndUnknownLB() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            _ = try await api.createListener(lb: lb)
            let r = try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)/status")
            #expect(r["statuses"]?["loadbalancer"]?["listeners"]?[0]?["pools"] == [])
            let missing = "0b3f6a5e-8d1c-4c9e-9a55-3b1f2e4d6c7a"
            let notFound = try await api.request(.get, "/v2/lbaas/loadbalancers/\(missing)/status")
            #expect(notFound.status == .notFound)
            #expect(notFound.faultstring == "Load Balancer \(missing) not found.")
            #expect(try await api.request(.post, "/v2/lbaas/loadbalancers/\(lb)/status").status == .methodNotAllowed)
        }
    }

    static let zeros: JSONValue = [
        "bytes_in": 0, "bytes_out": 0, "active_connections": 0, "total_connections": 0, "request_errors": 0,
    ]

    @Test func statsAreZeroBeforeAnyHeartbeat() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let listener = try await api.createListener(lb: lb)
            #expect(try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)/stats").json == ["stats": Self.zeros])
            #expect(try await api.request(.get, "/v2/lbaas/listeners/\(listener)/stats").json == ["stats": Self.zeros])
            let missing = "0b3f6a5e-8d1c-4c9e-9a55-3b1f2e4d6c7a"
            let r = try await api.request(.get, "/v2/lbaas/listeners/\(missing)/stats")
            #expect(r.status == .notFound)
            #expect(r.faultstring == "Listener \(missing) not found.")
            #expect(try await api.request(.get, "/v2/lbaas/loadbalancers/\(missing)/stats").status == .notFound)
        }
    }

    @Test func statsSumStoredCounters() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let l1 = try #require(Listener.ID(try await api.createListener(lb: lb, port: 80)))
            let l2 = try #require(Listener.ID(try await api.createListener(lb: lb, port: 81)))
            let lbID = try #require(LoadBalancer.ID(lb))
            let live = Amphora(loadBalancerID: lbID, status: .allocated)
            let gone = Amphora(loadBalancerID: lbID, status: .deleted)
            try await api.store.write { tx in
                try await tx.insert(live)
                try await tx.insert(gone)
                try await tx.insert(ListenerStatistics(listenerID: l1, amphoraID: live.id.rawValue, bytesIn: 100, bytesOut: 200,
                                                       activeConnections: 3, totalConnections: 10, requestErrors: 1))
                // A replaced amphora's last report: its bytes count, its open connections do not.
                try await tx.insert(ListenerStatistics(listenerID: l1, amphoraID: gone.id.rawValue, bytesIn: 1, bytesOut: 2,
                                                       activeConnections: 50, totalConnections: 4, requestErrors: 0))
                try await tx.insert(ListenerStatistics(listenerID: l2, amphoraID: live.id.rawValue, bytesIn: 5, bytesOut: 6,
                                                       activeConnections: 1, totalConnections: 2, requestErrors: 0))
            }
            let one = try await api.request(.get, "/v2/lbaas/listeners/\(l1)/stats")
            #expect(one.json == ["stats": [
                "bytes_in": 101, "bytes_out": 202, "active_connections": 3, "total_connections": 14, "request_errors": 1,
            ]])
            let all = try await api.request(.get, "/v2/lbaas/loadbalancers/\(lb)/stats")
            #expect(all.json == ["stats": [
                "bytes_in": 106, "bytes_out": 208, "active_connections": 4, "total_connections": 16, "request_errors": 1,
            ]])

            let amp = try await api.request(.get, "/v2/octavia/amphorae/\(live.id)/stats")
            #expect(amp.status == .ok)
            let rows = try #require(amp["amphora_stats"]?.arrayValue)
            #expect(rows.count == 2)
            let first = try #require(rows.first { $0["listener_id"]?.stringValue == l1.rawValue })
            #expect(first == [
                "id": .string(live.id.rawValue), "listener_id": .string(l1.rawValue), "loadbalancer_id": .string(lb),
                "active_connections": 3, "bytes_in": 100, "bytes_out": 200, "request_errors": 1, "total_connections": 10,
            ])
        }
    }

    @Test func amphoraWithoutReportedStatsIs404() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let amphora = Amphora(loadBalancerID: try #require(LoadBalancer.ID(lb)), status: .allocated)
            try await api.store.write { try await $0.insert(amphora) }
            let r = try await api.request(.get, "/v2/octavia/amphorae/\(amphora.id)/stats")
            #expect(r.status == .notFound)
            #expect(r.faultstring == "Amphora stats for \(amphora.id) not found.")
        }
    }
}
