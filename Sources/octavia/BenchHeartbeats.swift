import ArgumentParser
import Foundation
import Logging
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaHealthManager
import OctaviaPersistence

/// `octavia bench-heartbeats` (hidden): synthetic heartbeats for N amphorae through the health
/// manager's processor into a scratch SQLite database; prints heartbeats/s and p50/p99 latency.
struct BenchHeartbeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-heartbeats", shouldDisplay: false)
    @Option var amphorae = 10_000
    @Option var listeners = 5
    @Option var members = 20
    @Option var rounds = 3
    @Option var database = "/tmp/octavia-bench-heartbeats.db"

    func run() async throws {
        try? FileManager.default.removeItem(atPath: database)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try await SQLStore.openSQLite(path: database, logger: logger)
        let project = ProjectID("bench")
        var messages: [HeartbeatMessage] = []
        let seedStart = Date()
        for chunk in stride(from: 0, to: amphorae, by: 200) {
            let batch = try await store.write { tx -> [HeartbeatMessage] in
                var out: [HeartbeatMessage] = []
                for _ in chunk..<min(chunk + 200, amphorae) {
                    let lb = LoadBalancer(projectID: project, provisioningStatus: .active, operatingStatus: .online, vipAddress: "10.0.0.1")
                    let amphora = Amphora(loadBalancerID: lb.id, status: .allocated)
                    try await tx.insert(lb)
                    try await tx.insert(amphora)
                    var message = HeartbeatMessage(amphoraID: amphora.id.rawValue, sequence: 0)
                    for port in 0..<listeners {
                        let pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active,
                                        operatingStatus: .online, protocol: .http, lbAlgorithm: .roundRobin)
                        let listener = Listener(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active,
                                                operatingStatus: .online, protocol: .http, protocolPort: 80 + port, defaultPoolID: pool.id)
                        try await tx.insert(pool)
                        try await tx.insert(listener)
                        var entries: [String: HeartbeatMemberStatus] = [:]
                        for n in 0..<members {
                            let member = Member(projectID: project, poolID: pool.id, provisioningStatus: .active,
                                                operatingStatus: .online, address: "10.0.1.\(n)", protocolPort: 80)
                            try await tx.insert(member)
                            entries[member.id.rawValue] = .up
                        }
                        message.listeners[listener.id.rawValue] = .init(status: .open, stats: .init(tx: 10, rx: 10, conns: 1, totconns: 1))
                        message.pools["\(pool.id):\(listener.id)"] = .init(status: .up, members: entries)
                    }
                    out.append(message)
                }
                return out
            }
            messages += batch
        }
        print("seeded \(amphorae) amphorae x \(listeners) listeners x \(members) members in \(Int(Date().timeIntervalSince(seedStart))) s")
        let datagrams = try messages.map { try HeartbeatEnvelope.wrap($0, key: "bench") }
        print("datagram size: avg \(datagrams.map(\.count).reduce(0, +) / max(1, datagrams.count)) bytes")

        let latencies = LatencySink()
        let configuration = HealthManagerConfiguration(heartbeatKey: "bench", heartbeatInterval: .seconds(3600))
        let processor = HeartbeatProcessor(store: store, configuration: configuration, logger: logger,
                                           observer: { latencies.add($0.latencies, accepted: $0.accepted) })
        let runner = Task { await processor.run() }
        let start = Date()
        // Everything arrives as fast as possible, in listener-sized batches (2000, the flush cap).
        for _ in 0..<rounds {
            for chunk in stride(from: 0, to: datagrams.count, by: 2000) {
                let now = Date()
                processor.submit(datagrams[chunk..<min(chunk + 2000, datagrams.count)].map { .init(bytes: $0, receivedAt: now) })
            }
        }
        processor.finish()
        await runner.value
        let elapsed = Date().timeIntervalSince(start)
        let (accepted, sorted) = latencies.result()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "processed %d heartbeats in %.1f s: %.0f heartbeats/s (with DB writes); latency p50 %.0f ms, p99 %.0f ms (queued behind a burst of %d)",
                     accepted, elapsed, Double(accepted) / elapsed, percentile(0.5) * 1000, percentile(0.99) * 1000, datagrams.count * rounds))
        await store.close()
    }
}

/// Latencies reported by the processor's observer.
final class LatencySink: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    private var accepted = 0
    func add(_ latencies: [Double], accepted count: Int) { lock.withLock { values += latencies; accepted += count } }
    func result() -> (Int, [Double]) { lock.withLock { (accepted, values.sorted()) } }
}
