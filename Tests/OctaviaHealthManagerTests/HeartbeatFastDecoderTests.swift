import Foundation
import OctaviaAmphoraWire
import Testing
@testable import OctaviaHealthManager

@Suite("Heartbeat fast JSON decoder")
struct HeartbeatFastDecoderTests {
    func reference(_ json: String) -> HeartbeatMessage? {
        try? JSONDecoder().decode(HeartbeatMessage.self, from: Data(json.utf8))
    }

    func fast(_ json: String) -> HeartbeatMessage? { HeartbeatFastDecoder.decode(Array(json.utf8)) }

    @Test func plainMessagesDecodeLikeJSONDecoder() throws {
        var message = HeartbeatMessage(amphoraID: "6f1c8f3a-0d5e-4a0b-9a55-0c7a8d3e2b11", sequence: 42)
        message.listeners["l1"] = .init(status: .open, stats: .init(tx: 1, rx: 2, conns: 3, totconns: 4, ereq: 5))
        message.listeners["l2"] = .init(status: "FULL", stats: .init(tx: -1, rx: 0, conns: 9_000_000_000, totconns: 0, ereq: 0))
        message.pools["p1:l1"] = .init(status: .up, members: ["m1": .up, "m2": .drain, "m3": .noCheck])
        message.pools["p2:l2"] = .init(status: .down, members: [:])
        for json in [String(decoding: try JSONEncoder().encode(message), as: UTF8.self),
                     String(decoding: try JSONEncoder().encode(HeartbeatMessage(amphoraID: "a", sequence: nil, version: nil)), as: UTF8.self)] {
            let decoded = try #require(fast(json), "\(json)")
            #expect(decoded == reference(json))
        }
    }

    @Test func legacyNullsUnknownKeysAndWhitespace() throws {
        let json = """
            { "id" : "a", "seq": null, "ver": 1, "extra": {"x": [1, "y", true, false, null, {"z": []}]},
              "listeners": {"l": {"status": "OPEN", "stats": {"tx": 1, "rx": 2, "conns": 3, "totconns": 4, "ereq": 0, "new": 7},
                                  "pools": {"p": {"status": "UP", "members": {"m": "UP"}}}}},
              "pools": null }
            """
        let decoded = try #require(fast(json))
        #expect(decoded == reference(json))
        #expect(decoded.listeners["l"]?.legacyPools?["p"]?.members["m"] == .up)
    }

    /// Anything outside the plain form is left to JSONDecoder (nil here), never decoded differently.
    @Test func unusualInputIsLeftToJSONDecoder() {
        let cases = [
            #"{"id": "a\u0062"}"#,                           // escapes
            #"{"id": "a", "pools": {"p": {"status": "UP", "members": {"m": "DOWN 1\/2"}}}}"#, // JSONEncoder's escaped slash
            #"{"id": "a", "id": "b"}"#,                       // duplicate key
            #"{"id": "a", "seq": 1.0}"#,                      // fraction
            #"{"id": "a", "seq": 1e3}"#,                      // exponent
            #"{"id": "a", "seq": 01}"#,                       // leading zero
            #"{"id": "a", "seq": 99999999999999999999}"#,     // overflow
            #"{"id": "a", "recv_time": 1.5}"#,                // receiver field
            #"{"id": "é"}"#,                                  // non-ASCII
            #"{"id": "a"} x"#,                                // trailing bytes
            #"{"id": "a", "listeners": {"l": {"status": "OPEN", "stats": {"tx": 1}}}}"#, // missing counters
            #"{"id": "a", "pools": {"p": {"status": "UP"}}}"#, // missing members
            #"{"seq": 1}"#,                                   // missing id
            #"["id"]"#,
            "",
        ]
        for json in cases { #expect(fast(json) == nil, "\(json)") }
    }
}
