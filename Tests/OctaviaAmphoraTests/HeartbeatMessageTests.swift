import Foundation
import OctaviaAmphoraWire
import Testing

@Suite("Heartbeat message")
struct HeartbeatMessageTests {
    @Test func encodesOctaviaFieldNames() throws {
        let data = try JSONEncoder().encode(HeartbeatFixtures.message)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["id", "seq", "ver", "listeners", "pools"])
        #expect(object["ver"] as? Int == 3)
        let listeners = try #require(object["listeners"] as? [String: [String: Any]])
        let listener = try #require(listeners["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"])
        #expect(Set(listener.keys) == ["status", "stats"])
        #expect(listener["status"] as? String == "OPEN")
        let stats = try #require(listener["stats"] as? [String: Int])
        #expect(stats == ["tx": 1_234_567, "rx": 7_654_321, "conns": 3, "totconns": 42, "ereq": 1])
        let pools = try #require(object["pools"] as? [String: [String: Any]])
        let pool = try #require(pools["11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"])
        #expect(pool["status"] as? String == "UP")
        let members = try #require(pool["members"] as? [String: String])
        #expect(members["aaaaaaaa-0000-4000-8000-000000000002"] == "no check")
    }

    @Test func emptyPoolsAreStillSentForVersion3() throws {
        let message = HeartbeatMessage(amphoraID: "amp", sequence: 0)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(message)) as? [String: Any])
        #expect(object["pools"] as? [String: Any] != nil)
        #expect(object["listeners"] as? [String: Any] != nil)
    }

    @Test func receiveTimeIsEncodedOnlyWhenSet() throws {
        var message = HeartbeatFixtures.message
        message.receivedTime = 1_700_000_000.25
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(message)) as? [String: Any])
        #expect(object["recv_time"] as? Double == 1_700_000_000.25)
    }

    @Test func decodesPreVersioningMessage() throws {
        // Version 1 shape: no `ver`, no `seq`, pools nested in the listener under plain pool ids.
        let json = """
            {"id": "amp-1", "listeners": {"l1": {"status": "OPEN",
              "stats": {"ereq": 0, "conns": 0, "totconns": 0, "rx": 0, "tx": 0},
              "pools": {"p1": {"status": "UP", "members": {"m1": "ONLINE"}}}}}}
            """
        let message = try JSONDecoder().decode(HeartbeatMessage.self, from: Data(json.utf8))
        #expect(message.version == nil)
        #expect(message.sequence == nil)
        #expect(message.pools.isEmpty)
        #expect(message.listeners["l1"]?.legacyPools?["p1"]?.members["m1"] == "ONLINE")
    }

    @Test func poolKeySplitsPoolAndListener() {
        let key = HeartbeatPoolKey("11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        #expect(key.poolID == "11111111-2222-4333-8444-555555555555")
        #expect(key.listenerID == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        #expect(key.description == "11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        let lvs = HeartbeatPoolKey("33333333-2222-4333-8444-555555555555")
        #expect(lvs.listenerID == nil)
        #expect(lvs.description == "33333333-2222-4333-8444-555555555555")
    }
}
