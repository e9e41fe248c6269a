import Foundation
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaPersistence

/// The synthetic fleet of `bench-heartbeats`: amphora `i` serves one load balancer with `listeners`
/// listeners, each with its own pool of `members` members. Ids are derived from the indices, so the
/// database is seeded by copying one template tree in SQL and the heartbeats are built without
/// reading anything back.
struct BenchFleet {
    let amphorae: Int
    let listeners: Int
    let members: Int

    /// What an id names.
    enum Kind: UInt64 { case loadBalancer = 1, amphora, listener, pool, member }

    /// A UUID whose first 24 characters are a hash of kind, listener and member index and whose last
    /// twelve are the amphora's clone suffix (what ``SQLStore/cloneLoadBalancerTree(_:copies:)``
    /// replaces), so amphora 0's tree copied in SQL has the ids built here for every amphora.
    static func id(_ kind: Kind, listener: Int = 0, member: Int = 0, index: Int) -> String {
        var x = kind.rawValue << 40 | UInt64(listener) << 20 | UInt64(member)
        // splitmix64
        x &+= 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        let h = hex(x, 16)
        let prefix = "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-4\(h.dropFirst(12).prefix(3))-8\(hex(UInt64(listener), 3))-"
        return prefix + SQLStore.cloneSuffix(index)
    }

    private static func hex(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits.suffix(width)
    }

    /// Inserts amphora 0's tree with the store's own inserts, then copies it for the others.
    func seed(_ store: SQLStore) async throws {
        let project = ProjectID("bench")
        let lbID = LoadBalancer.ID(Self.id(.loadBalancer, index: 0))!
        let (listeners, members) = (self.listeners, self.members)
        try await store.write { tx in
            try await tx.insert(LoadBalancer(id: lbID, projectID: project, provisioningStatus: .active,
                                             operatingStatus: .online, vipAddress: "10.0.0.1"))
            for l in 0..<listeners {
                let poolID = Pool.ID(Self.id(.pool, listener: l, index: 0))!
                try await tx.insert(Pool(id: poolID, projectID: project, loadBalancerID: lbID, provisioningStatus: .active,
                                         operatingStatus: .online, protocol: .http, lbAlgorithm: .roundRobin))
                try await tx.insert(Listener(id: Listener.ID(Self.id(.listener, listener: l, index: 0))!, projectID: project,
                                             loadBalancerID: lbID, provisioningStatus: .active, operatingStatus: .online,
                                             protocol: .http, protocolPort: 80 + l, defaultPoolID: poolID))
                for m in 0..<members {
                    try await tx.insert(Member(id: Member.ID(Self.id(.member, listener: l, member: m, index: 0))!,
                                               projectID: project, poolID: poolID, provisioningStatus: .active,
                                               operatingStatus: .online, address: "10.1.\(m / 250).\(m % 250 + 1)",
                                               protocolPort: 80))
                }
            }
            try await tx.insert(Amphora(id: Amphora.ID(Self.id(.amphora, index: 0))!, loadBalancerID: lbID, status: .allocated))
        }
        try await store.cloneLoadBalancerTree(lbID, copies: amphorae - 1)
    }

    /// Amphora `index`'s heartbeat: every listener open, every member up, version 3 deltas.
    func message(_ index: Int) -> HeartbeatMessage {
        var message = HeartbeatMessage(amphoraID: Self.id(.amphora, index: index), sequence: 0)
        for l in 0..<listeners {
            let listenerID = Self.id(.listener, listener: l, index: index)
            var entries: [String: HeartbeatMemberStatus] = [:]
            for m in 0..<members { entries[Self.id(.member, listener: l, member: m, index: index)] = .up }
            message.listeners[listenerID] = .init(status: .open, stats: .init(tx: 1000, rx: 100, conns: 2, totconns: 3))
            message.pools["\(Self.id(.pool, listener: l, index: index)):\(listenerID)"] = .init(status: .up, members: entries)
        }
        return message
    }

    /// Every amphora's signed datagram, built on all cores (zlib level 9 is the slow part).
    func datagrams(key: String) -> [[UInt8]] {
        let slices = ProcessInfo.processInfo.activeProcessorCount * 4
        let size = (amphorae + slices - 1) / slices
        let parts = LockedValue([[[UInt8]]](repeating: [], count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = (slice * size)..<min(amphorae, (slice + 1) * size)
            let built = range.map { (try? HeartbeatEnvelope.wrap(message($0), key: key)) ?? [] }
            parts.withLock { $0[slice] = built }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }
}

/// A value guarded by a lock, for results gathered from `concurrentPerform`.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
