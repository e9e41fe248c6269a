import Foundation
import Logging
import OctaviaCore
@testable import OctaviaDriverAgent
import Testing

/// The three request handlers of the driver agent, without sockets.
@Suite struct DriverAgentHandlerTests {
    func agent(_ fixture: ServicesFixture) -> DriverAgent {
        DriverAgent(store: fixture.store, settings: .init(statusSocketPath: "", statsSocketPath: "", getSocketPath: ""),
                    logger: Logger(label: "t"))
    }

    func call(_ agent: DriverAgent, _ endpoint: DriverAgent.Endpoint, _ json: String) async throws -> [String: Any] {
        let reply = await agent.respond(to: Data(json.utf8), endpoint: endpoint)
        return try #require(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
    }

    @Test func statusUpdatesProvisioningAndOperatingStatus() async throws {
        try await ServicesFixture.with { f in
            let reply = try await call(agent(f), .status, """
                {"loadbalancers": [{"id": "\(f.lb.id)", "provisioning_status": "ACTIVE", "operating_status": "ONLINE"}],
                 "listeners": [{"id": "\(f.listener.id)", "provisioning_status": "ACTIVE"}],
                 "members": [{"id": "\(f.member.id)", "operating_status": "ERROR"}]}
                """)
            #expect(reply["status_code"] as? Int == 200)
            let lb = try #require(try await f.store.reader.fetch(LoadBalancer.self, id: f.lb.id))
            #expect(lb.provisioningStatus == .active && lb.operatingStatus == .online)
            let listener = try #require(try await f.store.reader.fetch(Listener.self, id: f.listener.id))
            #expect(listener.provisioningStatus == .active && listener.operatingStatus == .offline)
            let member = try #require(try await f.store.reader.fetch(Member.self, id: f.member.id))
            #expect(member.provisioningStatus == .pendingCreate && member.operatingStatus == .error)
        }
    }

    @Test func deletedRemovesChildrenButKeepsTheLoadBalancerRow() async throws {
        try await ServicesFixture.with { f in
            let reply = try await call(agent(f), .status, """
                {"loadbalancers": [{"id": "\(f.lb.id)", "provisioning_status": "DELETED"}],
                 "pools": [{"id": "\(f.pool.id)", "provisioning_status": "DELETED"}],
                 "members": [{"id": "\(f.member.id)", "provisioning_status": "DELETED"}],
                 "listeners": [{"id": "\(f.listener.id)", "provisioning_status": "DELETED"}]}
                """)
            #expect(reply["status_code"] as? Int == 200)
            #expect(try await f.store.reader.fetch(Member.self, id: f.member.id) == nil)
            #expect(try await f.store.reader.fetch(Pool.self, id: f.pool.id) == nil)
            #expect(try await f.store.reader.fetch(Listener.self, id: f.listener.id) == nil)
            #expect(try await f.store.reader.fetch(LoadBalancer.self, id: f.lb.id)?.provisioningStatus == .deleted)
            // Again, for rows already gone: ignored, as Octavia does.
            let again = try await call(agent(f), .status, """
                {"members": [{"id": "\(f.member.id)", "provisioning_status": "DELETED"}]}
                """)
            #expect(again["status_code"] as? Int == 200)
        }
    }

    @Test func badRecordsNameTheObject() async throws {
        try await ServicesFixture.with { f in
            let bad = try await call(agent(f), .status, """
                {"pools": [{"id": "\(f.pool.id)", "provisioning_status": "SIDEWAYS"}]}
                """)
            #expect(bad["status_code"] as? Int == 500)
            #expect(bad["status_object"] as? String == "pools")
            #expect(bad["status_object_id"] as? String == f.pool.id.rawValue)
            #expect((bad["fault_string"] as? String)?.contains("SIDEWAYS") == true)
            let noID = try await call(agent(f), .status, #"{"members": [{"operating_status": "ONLINE"}]}"#)
            #expect(noID["status_code"] as? Int == 500)
            #expect(noID["status_object"] as? String == "members")
            #expect(noID["status_object_id"] is NSNull)
            let notJSON = try await call(agent(f), .status, "not json")
            #expect(notJSON["status_code"] as? Int == 500)
        }
    }

    @Test func statisticsReplaceTheListenerRow() async throws {
        try await ServicesFixture.with { f in
            let a = agent(f)
            for (bytes, conns) in [(100, 7), (40, 2)] {
                let reply = try await call(a, .stats, """
                    {"listeners": [{"id": "\(f.listener.id)", "active_connections": 1, "bytes_in": \(bytes),
                      "bytes_out": 20, "request_errors": 0, "total_connections": \(conns)}]}
                    """)
                #expect(reply["status_code"] as? Int == 200)
            }
            let rows = try await f.store.reader.list(ListenerStatistics.self, ListQuery(filters: [("listener_id", .string(f.listener.id.rawValue))]))
            #expect(rows == [ListenerStatistics(listenerID: f.listener.id, amphoraID: f.listener.id.rawValue, bytesIn: 40,
                                                bytesOut: 20, activeConnections: 1, totalConnections: 2, requestErrors: 0)])
            let bad = try await call(a, .stats, #"{"listeners": [{"id": "\#(f.listener.id)", "bytes_in": -1}]}"#)
            #expect(bad["status_code"] as? Int == 500)
            #expect(bad["stats_object"] as? String == "listeners")
            #expect(bad["stats_object_id"] as? String == f.listener.id.rawValue)
        }
    }

    @Test func getAnswersProviderDictionaries() async throws {
        try await ServicesFixture.with { f in
            let a = agent(f)
            let lb = try await call(a, .get, #"{"object": "loadbalancers", "id": "\#(f.lb.id)"}"#)
            #expect(lb["loadbalancer_id"] as? String == f.lb.id.rawValue)
            #expect(lb["vip_address"] as? String == "10.0.0.5")
            #expect(lb["provisioning_status"] == nil && lb["id"] == nil && lb["created_at"] == nil)
            let listener = try await call(a, .get, #"{"object": "listeners", "id": "\#(f.listener.id)"}"#)
            #expect(listener["listener_id"] as? String == f.listener.id.rawValue)
            #expect(listener["loadbalancer_id"] as? String == f.lb.id.rawValue)
            #expect(listener["allowed_cidrs"] as? [String] == ["10.0.0.0/8"])
            #expect(listener["protocol_port"] as? Int == 80)
            let member = try await call(a, .get, #"{"object": "members", "id": "\#(f.member.id)"}"#)
            #expect(member["member_id"] as? String == f.member.id.rawValue && member["pool_id"] as? String == f.pool.id.rawValue)
            // Every key is one the octavia-lib model accepts.
            for (kind, dict) in [(DriverObjectKind.loadbalancers, lb), (.listeners, listener), (.members, member)] {
                #expect(Set(dict.keys).isSubset(of: kind.providerFields))
            }
            #expect(try await call(a, .get, #"{"object": "pools", "id": "\#(UUID())"}"#).isEmpty)
            #expect(try await call(a, .get, #"{"object": "flavors", "id": "\#(f.lb.id)"}"#).isEmpty)
        }
    }

    @Test func framing() throws {
        var frame = DriverAgentFrame()
        #expect(try frame.append(Array("9".utf8)) == nil)
        #expect(try frame.append(Array("\n{\"a\":".utf8)) == nil)
        #expect(try frame.append(Array(" 12}".utf8)) == Data(#"{"a": 12}"#.utf8))
        var bad = DriverAgentFrame()
        #expect(throws: DriverAgentFrame.Failure.badLength) { try bad.append(Array("x\n".utf8)) }
        #expect(DriverAgentFrame.encode(Data("{}".utf8)) == Array("2\n{}".utf8))
    }
}
