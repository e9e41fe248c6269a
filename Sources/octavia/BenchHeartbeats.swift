import ArgumentParser
import Foundation
import Logging
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaHealthManager
import OctaviaPersistence

/// `octavia bench-heartbeats` (hidden): the health manager's heartbeat throughput. Seeds a scratch
/// SQLite database with N amphorae × listeners × members, starts the real processor and UDP
/// listener on loopback, and sends signed heartbeats to it at paced rates from a sender thread:
/// one cold pass (every amphora once, nothing cached), the steady state of a real fleet (each
/// amphora once per heartbeat interval), then a ramp of offered rates until one is not sustained.
/// Latency is from datagram receipt (the listener's read) to the commit of its batch.
struct BenchHeartbeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-heartbeats", shouldDisplay: false)
    @Option var amphorae = 10_000
    @Option var listeners = 5
    @Option var members = 20
    @Option(help: "Seconds between two heartbeats of one amphora (the steady rate is amphorae / interval).")
    var interval = 10.0
    @Option(help: "Offered rate of the cold pass, in which every amphora reports once.") var coldRate = 5_000.0
    @Option var steadySeconds = 30.0
    @Option var stepSeconds = 10.0
    @Option(help: "Comma-separated offered rates (heartbeats/s) of the saturation ramp; empty for none.")
    var rates = "2000,4000,6000,8000,10000,12000,15000,20000,25000,30000"
    @Option(help: "A step is sustained when at least this share of its heartbeats is committed…") var minShare = 0.99
    @Option(help: "…and its p99 latency is at most this many seconds.") var maxP99 = 1.0
    @Option(help: "The processor's largest batch (HealthManagerConfiguration.maxBatch).") var maxBatch = HealthManagerConfiguration(heartbeatKey: "").maxBatch
    @Option(help: "The processor's gather window in milliseconds (HealthManagerConfiguration.gatherWindow).") var gatherMs = 5
    @Option var database = "/tmp/octavia-bench-heartbeats.db"
    @Option(help: "Also write the figures as JSON to this file.") var json: String?

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try await SQLStore.openSQLite(path: database, logger: logger)
        let fleet = BenchFleet(amphorae: amphorae, listeners: listeners, members: members)
        var clock = Date()
        try await fleet.seed(store)
        print(String(format: "seeded %d amphorae x %d listeners x %d members (%d member rows) in %.1f s",
                     amphorae, listeners, members, amphorae * listeners * members, Date().timeIntervalSince(clock)))
        clock = Date()
        let key = "bench-heartbeat-key"
        let datagrams = fleet.datagrams(key: key)
        print(String(format: "built %d signed datagrams (avg %d bytes) in %.1f s", datagrams.count,
                     datagrams.map(\.count).reduce(0, +) / max(1, datagrams.count), Date().timeIntervalSince(clock)))

        Self.printDecodeCost(datagrams, key: key)

        let recorder = BenchRecorder()
        let configuration = HealthManagerConfiguration(bindIP: "127.0.0.1", bindPort: 0, heartbeatKey: key,
                                                       heartbeatInterval: .seconds(interval), maxBatch: maxBatch,
                                                       gatherWindow: .milliseconds(gatherMs))
        let processor = HeartbeatProcessor(store: store, configuration: configuration, logger: logger,
                                           observer: { recorder.add($0) })
        let bound = BoundPort()
        let listener = HeartbeatListener(processor: processor, configuration: configuration, logger: logger,
                                         onBound: { bound.set($0) })
        let processing = Task { await processor.run() }
        let listening = Task { try await listener.run() }
        let sender = try BenchUDPSender(datagrams: datagrams, port: try await bound.wait())
        print("path: signed UDP datagrams from a sender thread -> HeartbeatListener on 127.0.0.1 -> HeartbeatProcessor -> SQLite (WAL)")
        print("latency: from the listener's read of a datagram to the commit of its batch\n")

        var phases: [Phase] = []
        func measure(_ name: String, rate: Double, seconds: Double) async -> Phase {
            recorder.reset()
            let cpu = Self.cpuSeconds()
            let run = await sender.run(rate: rate, seconds: seconds)
            await recorder.waitUntilDone(expected: run.sent, quiet: 20, limit: 120)
            let phase = Phase(name: name, run: run, summary: recorder.summary(), cpu: Self.cpuSeconds() - cpu,
                              minShare: minShare, maxP99: maxP99)
            let cache = store.healthCacheCounts
            print(phase.line + "  [cache: \(cache.hits) hits, \(cache.misses) misses, \(cache.resets) resets so far]")
            phases.append(phase)
            return phase
        }
        _ = await measure("cold pass", rate: coldRate, seconds: Double(amphorae) / coldRate)
        let steady = await measure("steady", rate: Double(amphorae) / interval, seconds: steadySeconds)
        var best: Phase?, bestUnder50: Phase?
        for rate in rates.split(separator: ",").compactMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            let step = await measure("ramp", rate: rate, seconds: stepSeconds)
            guard step.sustained else { break }
            best = step
            if step.summary.p99 <= 0.05 { bestUnder50 = step }
        }

        print("")
        print(String(format: "steady state (%.0f/s offered): p50 %.1f ms, p99 %.1f ms, ", steady.run.offeredRate,
                     steady.summary.p50 * 1000, steady.summary.p99 * 1000) + (steady.sustained ? "sustained" : "NOT sustained"))
        if let best {
            print(String(format: "max sustained rate: %.0f heartbeats/s processed with DB writes (offered %.0f/s): p50 %.1f ms, p99 %.1f ms",
                         best.processedRate, best.run.offeredRate, best.summary.p50 * 1000, best.summary.p99 * 1000))
        } else {
            print("max sustained rate: no ramp step was sustained")
        }
        if let bestUnder50 {
            print(String(format: "max rate with p99 under 50 ms: %.0f heartbeats/s: p50 %.1f ms, p99 %.1f ms",
                         bestUnder50.processedRate, bestUnder50.summary.p50 * 1000, bestUnder50.summary.p99 * 1000))
        }
        if let json { try Self.writeJSON(json, phases: phases, best: best, bestUnder50: bestUnder50, fleet: fleet) }

        listening.cancel()
        _ = await listening.result
        processor.finish()
        await processing.value
        await store.close()
    }

    /// Single-core cost of the per-message steps that do not touch the database, for context.
    static func printDecodeCost(_ datagrams: [[UInt8]], key: String) {
        let sample = Array(datagrams.prefix(2000))
        var start = Date()
        let jsons = sample.compactMap { try? HeartbeatEnvelope.unwrapJSON($0, key: key) }
        let unwrap = Date().timeIntervalSince(start) / Double(max(1, sample.count))
        start = Date()
        let decoder = JSONDecoder()
        let decoded = jsons.compactMap { try? decoder.decode(HeartbeatMessage.self, from: Data($0)) }.count
        let json = Date().timeIntervalSince(start) / Double(max(1, jsons.count))
        start = Date()
        let processed = sample.filter { (try? HeartbeatProcessor.unwrap($0, key: key).get()) != nil }.count
        let fast = Date().timeIntervalSince(start) / Double(max(1, sample.count))
        print(String(format: "one core per heartbeat: HMAC check + inflate %.1f µs, JSONDecoder %.1f µs; processor's check + inflate + fast decode %.1f µs (%d/%d decoded, avg JSON %d bytes)",
                     unwrap * 1e6, json * 1e6, fast * 1e6, processed, decoded, jsons.map(\.count).reduce(0, +) / max(1, jsons.count)))
    }

    /// User plus system CPU seconds of this process (the sender thread included).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func writeJSON(_ path: String, phases: [Phase], best: Phase?, bestUnder50: Phase?, fleet: BenchFleet) throws {
        let object: [String: Any] = [
            "amphorae": fleet.amphorae, "listeners": fleet.listeners, "members": fleet.members,
            "phases": phases.map(\.dictionary),
            "max_sustained": best?.dictionary ?? NSNull(),
            "max_under_50ms_p99": bestUnder50?.dictionary ?? NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}

/// One measured phase of the benchmark.
struct Phase {
    var name: String
    var run: BenchUDPSender.Run
    var summary: BenchRecorder.Summary
    var cpu: Double
    var minShare: Double
    var maxP99: Double

    var seconds: Double { run.end.timeIntervalSince(run.start) }
    /// From the first send to the last commit: what the CPU time is spread over.
    var busySeconds: Double { max(seconds, (summary.lastCommit ?? run.end).timeIntervalSince(run.start)) }
    var processedRate: Double { Double(summary.accepted) / max(1e-9, seconds) }
    var lost: Int { max(0, run.sent - summary.accepted) }
    var sustained: Bool {
        Double(summary.accepted) >= minShare * Double(run.sent) && summary.p99 <= maxP99
            && run.achievedRate >= 0.95 * run.offeredRate
    }

    var line: String {
        name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "offered %6.0f/s sent %6.0f/s processed %6.0f/s (%d of %d, lost %d, rejected %d, %d batches)  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  cpu %.2f cores  ",
               run.offeredRate, run.achievedRate, processedRate, summary.accepted, run.sent, lost, summary.rejected,
               summary.batches, summary.p50 * 1000, summary.p99 * 1000, summary.max * 1000,
               cpu / max(1e-9, busySeconds)) + verdict
            + String(format: "  [db stage per heartbeat: lookup %.1f µs, rules %.1f µs, write %.1f µs]",
                     summary.lookup / Double(max(1, summary.accepted)) * 1e6, summary.rules / Double(max(1, summary.accepted)) * 1e6,
                     summary.write / Double(max(1, summary.accepted)) * 1e6)
    }

    var verdict: String {
        if run.achievedRate < 0.95 * run.offeredRate { return "SENDER BEHIND (not a processor limit)" }
        return sustained ? "ok" : "NOT SUSTAINED"
    }

    var dictionary: [String: Any] {
        ["name": name, "offered_per_s": run.offeredRate, "sent_per_s": run.achievedRate, "processed_per_s": processedRate,
         "sent": run.sent, "processed": summary.accepted, "lost": lost, "rejected": summary.rejected,
         "p50_ms": summary.p50 * 1000, "p99_ms": summary.p99 * 1000, "max_ms": summary.max * 1000,
         "cpu_cores": cpu / max(1e-9, busySeconds), "sustained": sustained, "verdict": verdict]
    }
}
