import Foundation
import Logging
import OctaviaCore
import OctaviaPersistence
import Testing
@testable import OctaviaHealthManager

/// The store caches load-balancer trees between heartbeats; these check that every write the
/// health manager did not make itself is seen by the next heartbeat.
@Suite("Health view cache")
struct HealthViewCacheTests {
    /// A member added through the store (as the API does) after the tree was cached.
    func addMember(_ f: HealthFixture, via store: SQLStore) async throws -> Member {
        let member = Member(projectID: ProjectID("p1"), poolID: f.pool.id, provisioningStatus: .active, operatingStatus: .online,
                            address: "10.0.1.9", protocolPort: 80)
        try await store.write { tx in try await tx.insert(member) }
        return member
    }

    @Test func writesOfTheSameProcessAreSeen() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            await processor.process([try f.datagram(f.message())])
            let added = try await addMember(f, via: f.store)
            await processor.process([try f.datagram(f.message())])
            let view = try await f.view()
            #expect(view.pools[0].members.first { $0.id == added.id }?.operatingStatus == .offline)
        }
    }

    @Test func ownStatusWritesArePatchedIn() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            await processor.process([try f.datagram(f.message(members: [.up, .down]))])
            #expect(try await f.view().pools[0].members[1].operatingStatus == .error)
            // The cached view says ERROR now, so UP must be written again.
            await processor.process([try f.datagram(f.message())])
            let stored = try #require(try await f.store.reader.fetch(Member.self, id: f.members[1].id.rawValue))
            #expect(stored.operatingStatus == .online)
        }
    }

    @Test func writesOfAnotherProcessAreSeen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hv-cache-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try await SQLStore.openSQLite(path: path, logger: Logger(label: "test"))
        let other = try await SQLStore.openSQLite(path: path, logger: Logger(label: "test"), migrate: false)
        do {
            let f = try await HealthFixture.make(store: store)
            let processor = f.processor()
            await processor.process([try f.datagram(f.message())])
            let added = try await addMember(f, via: other)
            try await other.write { tx in
                try await tx.setStatus(Listener.self, id: f.listener.id.rawValue, provisioning: nil, operating: .offline)
            }
            await processor.process([try f.datagram(f.message())])
            let view = try await f.view()
            #expect(view.pools[0].members.first { $0.id == added.id }?.operatingStatus == .offline)
            #expect(view.listeners[0].operatingStatus == .online)
        } catch {
            await other.close(); await store.close()
            throw error
        }
        await other.close()
        await store.close()
    }
}
