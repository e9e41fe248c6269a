import Foundation
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaPersistence
import Testing
@testable import OctaviaHealthManager

/// A pools section identical to the amphora's previous one is neither decoded nor ruled on again
/// while the cached tree is unchanged; these check that the results stay exactly those of the full path.
@Suite("Unchanged pool sections")
struct UnchangedPoolsTests {
    func json(_ message: HeartbeatMessage) throws -> [UInt8] { Array(try JSONEncoder().encode(message)) }

    @Test func identicalSectionIsKeptAsBytesAndDecodesTheSame() throws {
        var message = HeartbeatMessage(amphoraID: "6f1c8f3a-0d5e-4a0b-9a55-0c7a8d3e2b11", sequence: 1)
        message.listeners["l1"] = .init(status: .open, stats: .init(tx: 1, rx: 2, conns: 3, totconns: 4, ereq: 5))
        message.pools["p1:l1"] = .init(status: .up, members: ["m1": .up, "m2": .drain])
        let bytes = try json(message)
        let known = KnownPoolSections()

        let first = try #require(HeartbeatFastDecoder.decode(bytes, known: known))
        #expect(first.poolsDecoded)
        #expect(first.message == message)
        let second = try #require(HeartbeatFastDecoder.decode(bytes, known: known))
        #expect(!second.poolsDecoded)
        #expect(second.message.pools.isEmpty)
        #expect(second.fullMessage == message)
        #expect(second.message.listeners == message.listeners)

        var changed = message
        changed.pools["p1:l1"]?.members["m2"] = .down
        let third = try #require(HeartbeatFastDecoder.decode(try json(changed), known: known))
        #expect(third.poolsDecoded)
        #expect(third.fullMessage == changed)
    }

    @Test func idAfterPoolsAndTrailingGarbage() throws {
        let known = KnownPoolSections()
        let json = #"{"pools": {"p:l": {"status": "UP", "members": {"m": "UP"}}}, "listeners": {}, "id": "a"}"#
        let first = try #require(HeartbeatFastDecoder.decode(Array(json.utf8), known: known))
        let second = try #require(HeartbeatFastDecoder.decode(Array(json.utf8), known: known))
        #expect(first.poolsDecoded && !second.poolsDecoded)
        #expect(second.fullMessage == HeartbeatFastDecoder.decode(Array(json.utf8)))
        // The known section followed by more bytes inside the value is not the known section.
        let prefixed = #"{"id": "a", "pools": {"p:l": {"status": "UP", "members": {"m": "UP"}}}x}"#
        #expect(HeartbeatFastDecoder.decode(Array(prefixed.utf8), known: known) == nil)
    }

    @Test func sectionsTheFullParserRejectsAreStillLeftToJSONDecoder() {
        let known = KnownPoolSections()
        // Syntactically fine, but a pool without members: JSONDecoder decides (and rejects it).
        let json = #"{"id": "a", "listeners": {}, "pools": {"p:l": {"status": "UP"}}, "ver": 3}"#
        #expect(HeartbeatFastDecoder.decode(Array(json.utf8), known: known) == nil)
        #expect(HeartbeatFastDecoder.decode(Array(json.utf8)) == nil)
        let null = #"{"id": "a", "listeners": {}, "pools": null}"#
        #expect(HeartbeatFastDecoder.decode(Array(null.utf8), known: known)?.fullMessage == HeartbeatFastDecoder.decode(Array(null.utf8)))
    }

    /// The same datagram again after another writer changed a member: the tree differs from the
    /// one the previous result was worked out on, so the member is set back to what the amphora reports.
    @Test func sameSectionAfterAnOutsideStatusWriteIsRuledAgain() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            let datagram = try f.datagram(f.message())
            await processor.process([datagram])
            await processor.process([datagram])
            try await f.store.write { tx in
                try await tx.setStatus(Member.self, id: f.members[0].id.rawValue, provisioning: nil, operating: .error)
            }
            #expect(try await f.view().pools[0].members[0].operatingStatus == .error)
            await processor.process([datagram])
            #expect(try await f.view().pools[0].members[0].operatingStatus == .online)
        }
    }

    /// A member DOWN in an unchanged section keeps the LB DEGRADED on every heartbeat, including
    /// after the LB's own status was changed by someone else.
    @Test func reusedPoolPartStillDrivesTheLoadBalancerStatus() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            let datagram = try f.datagram(f.message(members: [.up, .down]))
            await processor.process([datagram])
            await processor.process([datagram])
            #expect(try await f.view().operatingStatus == .degraded)
            try await f.store.write { tx in
                try await tx.setStatus(LoadBalancer.self, id: f.lb.id.rawValue, provisioning: nil, operating: .online)
            }
            await processor.process([datagram])
            let view = try await f.view()
            #expect(view.operatingStatus == .degraded)
            #expect(view.pools[0].operatingStatus == .degraded)
        }
    }
}
