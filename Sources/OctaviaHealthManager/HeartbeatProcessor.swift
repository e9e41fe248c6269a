import Foundation
import Logging
import Metrics
import OctaviaAmphoraWire
import OctaviaCore

/// Turns heartbeat datagrams into database updates. The listener hands over each read burst; a
/// decode stage authenticates and decodes everything waiting (in parallel) while the database stage
/// writes the previous batch, and each stage takes all that is queued when it is ready. A batch
/// costs one lookup (cached load-balancer trees) and one write transaction, so batches stay small
/// and quick under light load and grow by themselves under heavy load.
public actor HeartbeatProcessor {
    /// One received datagram.
    public struct Datagram: Sendable {
        public var bytes: [UInt8]
        public var receivedAt: Date
        public init(bytes: [UInt8], receivedAt: Date = Date()) { self.bytes = bytes; self.receivedAt = receivedAt }
    }

    /// What one processed batch did, for tests and the benchmark.
    public struct BatchReport: Sendable {
        public var accepted: Int
        public var rejected: [HeartbeatRejection: Int]
        public var statusChanges: Int
        /// Seconds from reception to commit, per accepted message.
        public var latencies: [Double]
        /// When the batch's transaction committed (or, without a write, when it was done).
        public var committedAt = Date()
        /// Seconds spent reading the load-balancer trees, applying the status rules, and writing.
        public var lookupSeconds = 0.0, rulesSeconds = 0.0, writeSeconds = 0.0
    }

    let store: any HealthStore
    let configuration: HealthManagerConfiguration
    let logger: Logger
    let observer: (@Sendable (BatchReport) -> Void)?
    private let incoming: HeartbeatQueue<Datagram>
    private let decoded: HeartbeatQueue<DecodedDatagram>
    private var warnings = RateLimitedWarnings()
    /// Pool sections the decode stage already decoded, per amphora.
    private let knownPools = KnownPoolSections()
    /// The pool part of the status rules per amphora, reused while its inputs stay equal.
    private var poolOutcomes: [Amphora.ID: PoolsMemo] = [:]
    /// Every datagram handed over, before any check: received = accepted + rejected + dropped.
    private let receivedCounter = Counter(label: "octavia_health_heartbeats_received_total")
    private let acceptedCounter = Counter(label: "octavia_health_heartbeats_accepted_total")
    private let rejectedCounters: [HeartbeatRejection: Counter]
    private let droppedCounter = Counter(label: "octavia_health_heartbeats_dropped_total")
    private let latencyTimer = Metrics.Timer(label: "octavia_health_heartbeat_processing_seconds")

    /// - Parameter observer: called after each committed batch.
    public init(store: any HealthStore, configuration: HealthManagerConfiguration, logger: Logger,
                observer: (@Sendable (BatchReport) -> Void)? = nil) {
        self.store = store; self.configuration = configuration; self.logger = logger; self.observer = observer
        // Bounded: when the database falls behind, new datagrams are dropped (and counted) rather than
        // queued without limit; amphorae send again one interval later.
        incoming = HeartbeatQueue(capacity: max(10_000, 50 * configuration.maxBatch))
        decoded = HeartbeatQueue(capacity: .max)
        rejectedCounters = Dictionary(uniqueKeysWithValues: HeartbeatRejection.allCases.map {
            ($0, Counter(label: "octavia_health_heartbeats_rejected_total", dimensions: [("reason", $0.rawValue)]))
        })
    }

    /// Queues datagrams (the listener hands over each read burst); safe from any thread.
    public nonisolated func submit(_ batch: [Datagram]) {
        guard !batch.isEmpty else { return }
        receivedCounter.increment(by: batch.count)
        let dropped = incoming.push(batch)
        if dropped > 0 { droppedCounter.increment(by: dropped) }
    }

    /// Ends ``run()`` once the queued batches are processed.
    public nonisolated func finish() { incoming.finish() }

    /// Processes datagrams until ``finish()`` or cancellation. Two stages: while one batch is in the
    /// database, what arrived meanwhile is authenticated and decoded on the other cores; at most
    /// two batches wait decoded, so a slow database pushes back to the bounded incoming queue.
    public func run() async {
        let (incoming, decoded, key, limit) = (incoming, decoded, configuration.heartbeatKey, configuration.maxBatch)
        let knownPools = knownPools
        async let decoding: Void = {
            while let batch = await incoming.next(limit: limit) {
                let results = await Self.decode(batch, key: key, known: knownPools)
                await decoded.waitForRoom(below: 2 * limit)
                decoded.push(zip(batch, results).map { DecodedDatagram(datagram: $0, result: $1) })
            }
            decoded.finish()
        }()
        var previous = limit
        while true {
            if previous < Self.smallBatch && configuration.gatherWindow != .zero {
                try? await Task.sleep(for: configuration.gatherWindow)
            }
            guard let items = await decoded.next(limit: limit) else { break }
            previous = items.count
            await apply(items.map(\.datagram), decoded: items.map(\.result))
        }
        await decoding
    }

    /// Below this many heartbeats a batch is small: the next one waits for the gather window.
    static let smallBatch = 64

    /// A datagram with its envelope check and decoding done.
    struct DecodedDatagram: Sendable {
        var datagram: Datagram
        var result: Result<DecodedHeartbeat, HeartbeatEnvelopeError>
    }

    /// Authenticates, decodes and applies one batch. Never throws: a database error loses this batch's
    /// updates only (the next heartbeats carry the same information).
    public func process(_ batch: [Datagram]) async {
        await apply(batch, decoded: await Self.decode(batch, key: configuration.heartbeatKey, known: knownPools))
    }

    private func apply(_ batch: [Datagram], decoded: [Result<DecodedHeartbeat, HeartbeatEnvelopeError>]) async {
        var rejected: [HeartbeatRejection: Int] = [:]
        var messages: [(DecodedHeartbeat, Date)] = []
        for (index, result) in decoded.enumerated() {
            switch result {
            case .success(let message): messages.append((message, batch[index].receivedAt))
            case .failure(let error):
                let reason = HeartbeatRejection(error)
                rejected[reason, default: 0] += 1
                warnings.warn(logger, reason: reason.rawValue, "heartbeat dropped",
                              metadata: ["error": "\(error)", "bytes": "\(batch[index].bytes.count)"])
            }
        }
        var report = BatchReport(accepted: 0, rejected: [:], statusChanges: 0, latencies: [])
        if !messages.isEmpty {
            do {
                report = try await write(messages, rejected: &rejected)
            } catch {
                logger.error("heartbeat batch not written", metadata: ["error": "\(error)", "messages": "\(messages.count)"])
            }
        }
        report.rejected = rejected
        for (reason, count) in rejected { rejectedCounters[reason]?.increment(by: count) }
        acceptedCounter.increment(by: report.accepted)
        for latency in report.latencies { latencyTimer.recordSeconds(latency) }
        observer?(report)
    }

    private func write(_ messages: [(DecodedHeartbeat, Date)],
                       rejected: inout [HeartbeatRejection: Int]) async throws -> BatchReport {
        let parsed = messages.map { Amphora.ID($0.0.message.amphoraID) }
        let ids = Set(parsed.compactMap { $0 })
        let started = Date()
        let views = try await store.healthViews(of: Array(ids))
        let looked = Date()
        var update = HealthUpdateBatch()
        var latest: [Amphora.ID: (DecodedHeartbeat, Date)] = [:]
        var acceptedTimes: [Date] = []
        for ((heartbeat, receivedAt), parsedID) in zip(messages, parsed) {
            let message = heartbeat.message
            guard let id = parsedID, views[id] != nil else {
                rejected[.unknownAmphora, default: 0] += 1
                warnings.warn(logger, reason: HeartbeatRejection.unknownAmphora.rawValue,
                              "heartbeat from an unknown amphora dropped", metadata: ["amphora": "\(message.amphoraID)"])
                continue
            }
            acceptedTimes.append(receivedAt)
            // Statistics: every message counts (deltas add up); statuses: the newest message wins.
            let isDelta = (message.version ?? 2) >= 3
            let known = views[id]?.loadBalancer?.listeners ?? []
            for (listenerKey, listener) in message.listeners {
                // A known listener's id as is (parsing a UUID costs more than the rest of the sample).
                guard let listenerID = known.first(where: { $0.id.rawValue == listenerKey })?.id ?? Listener.ID(listenerKey) else { continue }
                update.statistics.append(ListenerStatisticsSample(
                    listenerID: listenerID, amphoraID: id, bytesIn: Int(listener.stats.rx), bytesOut: Int(listener.stats.tx),
                    activeConnections: Int(listener.stats.conns), totalConnections: Int(listener.stats.totconns),
                    requestErrors: Int(listener.stats.ereq), isDelta: isDelta))
            }
            if let previous = latest[id], previous.1 > receivedAt { continue }
            latest[id] = (heartbeat, receivedAt)
        }
        let now = Date()
        let interval = configuration.heartbeatInterval.seconds
        var seenChanges: Set<OperatingStatusChange> = []
        // An amphora without a load balancer reports nothing.
        let work = latest.compactMap { id, entry in
            views[id]?.loadBalancer.map {
                RuleInput(id: id, heartbeat: entry.0, receivedAt: entry.1, loadBalancer: $0, pools: poolOutcomes[id])
            }
        }
        for outcome in await Self.evaluate(work, now: now, heartbeatInterval: interval) {
            if let memo = outcome.pools {
                if poolOutcomes.count >= KnownPoolSections.capacity, poolOutcomes[outcome.id] == nil { poolOutcomes.removeAll() }
                poolOutcomes[outcome.id] = memo
            }
            if outcome.refreshesLiveness { update.liveness[outcome.id] = now }
            for change in outcome.changes where seenChanges.insert(change).inserted { update.statusChanges.append(change) }
        }
        let ruled = Date()
        try await store.apply(update)
        let committed = Date()
        return BatchReport(accepted: acceptedTimes.count, rejected: [:], statusChanges: update.statusChanges.count,
                           latencies: acceptedTimes.map { committed.timeIntervalSince($0) }, committedAt: committed,
                           lookupSeconds: looked.timeIntervalSince(started), rulesSeconds: ruled.timeIntervalSince(looked),
                           writeSeconds: committed.timeIntervalSince(ruled))
    }

    /// One amphora's newest heartbeat with its load balancer's tree, for the status rules.
    struct RuleInput: Sendable {
        var id: Amphora.ID
        var heartbeat: DecodedHeartbeat
        var receivedAt: Date
        var loadBalancer: LoadBalancerHealthView
        /// The pool part worked out for this amphora's previous evaluation.
        var pools: PoolsMemo?
    }

    /// What the status rules make of one ``RuleInput``.
    struct RuleOutcome: Sendable {
        var id: Amphora.ID
        var refreshesLiveness: Bool
        var changes: [OperatingStatusChange]
        /// A new pool part to keep for the next heartbeat, nil to keep the previous one.
        var pools: PoolsMemo?
    }

    /// The pool part of the status rules is a function of the reported pools section and the
    /// tree's pools alone; while both are equal (bytes as sent, pool and member statuses as
    /// cached) the previous result holds, and neither the section nor the rules need to run again.
    struct PoolsMemo: Sendable {
        var rawPools: ArraySlice<UInt8>
        var treePools: [LoadBalancerHealthView.PoolView]
        var outcome: HeartbeatStatusRules.PoolsOutcome
    }

    /// The status rules for one amphora, reusing `input.pools` when it still applies.
    static func evaluate(_ input: RuleInput, now: Date, heartbeatInterval: Double) -> RuleOutcome {
        let heartbeat = input.heartbeat, lb = input.loadBalancer
        // Pools nested in listeners (ver 1) also count; those messages are always worked out in full.
        let memoizable = heartbeat.rawPools != nil && heartbeat.message.listeners.values.allSatisfy { $0.legacyPools == nil }
        var pools: HeartbeatStatusRules.PoolsOutcome
        var memo: PoolsMemo?
        if memoizable, let raw = heartbeat.rawPools, let previous = input.pools,
           KnownPoolSections.equal(previous.rawPools, raw), previous.treePools == lb.pools {
            pools = previous.outcome
        } else {
            let message = heartbeat.fullMessage
            pools = HeartbeatStatusRules.poolsOutcome(reported: HeartbeatStatusRules.reportedPools(message), pools: lb.pools)
            if memoizable, let raw = heartbeat.rawPools { memo = PoolsMemo(rawPools: raw, treePools: lb.pools, outcome: pools) }
        }
        return RuleOutcome(id: input.id,
                           refreshesLiveness: HeartbeatStatusRules.refreshesLiveness(
                               heartbeat.message, loadBalancer: lb,
                               processingDelay: now.timeIntervalSince(input.receivedAt), heartbeatInterval: heartbeatInterval),
                           changes: HeartbeatStatusRules.changes(for: heartbeat.message, loadBalancer: lb, pools: pools),
                           pools: memo)
    }

    /// The status rules for every amphora of a batch, spread over the available cores: they are pure,
    /// and in the serial database stage they would leave the other cores idle under heavy load.
    static func evaluate(_ inputs: [RuleInput], now: Date, heartbeatInterval: Double) async -> [RuleOutcome] {
        @Sendable func run(_ slice: ArraySlice<RuleInput>) -> [RuleOutcome] {
            slice.map { evaluate($0, now: now, heartbeatInterval: heartbeatInterval) }
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, inputs.count / 64))
        if workers == 1 { return run(inputs[...]) }
        let size = (inputs.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [RuleOutcome]).self) { group in
            for start in stride(from: 0, to: inputs.count, by: size) {
                let slice = inputs[start..<min(start + size, inputs.count)]
                group.addTask { (start, run(slice)) }
            }
            var parts: [(Int, [RuleOutcome])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// Checks and inflates one datagram; plain JSON goes through ``HeartbeatFastDecoder``, the rest
    /// through `JSONDecoder` (which also produces the errors).
    public static func unwrap(_ bytes: [UInt8], key: String) -> Result<HeartbeatMessage, HeartbeatEnvelopeError> {
        Result { () throws(HeartbeatEnvelopeError) in
            let json = try HeartbeatEnvelope.unwrapJSON(bytes, key: key)
            if let message = HeartbeatFastDecoder.decode(json) { return message }
            do {
                return try JSONDecoder().decode(HeartbeatMessage.self, from: Data(json))
            } catch {
                throw .invalidJSON(String(describing: error))
            }
        }
    }

    /// ``unwrap(_:key:)`` for the processor: a pools section identical to the one last decoded for
    /// the amphora is left as bytes (``DecodedHeartbeat``).
    static func unwrap(_ bytes: [UInt8], key: String, known: KnownPoolSections) -> Result<DecodedHeartbeat, HeartbeatEnvelopeError> {
        Result { () throws(HeartbeatEnvelopeError) in
            let json = try HeartbeatEnvelope.unwrapJSON(bytes, key: key)
            if let decoded = HeartbeatFastDecoder.decode(json, known: known) { return decoded }
            do {
                return DecodedHeartbeat(try JSONDecoder().decode(HeartbeatMessage.self, from: Data(json)))
            } catch {
                throw .invalidJSON(String(describing: error))
            }
        }
    }

    /// Envelope checks and JSON decoding spread over the available cores.
    static func decode(_ batch: [Datagram], key: String, known: KnownPoolSections) async -> [Result<DecodedHeartbeat, HeartbeatEnvelopeError>] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count / 64))
        if workers == 1 { return batch.map { unwrap($0.bytes, key: key, known: known) } }
        let size = (batch.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [Result<DecodedHeartbeat, HeartbeatEnvelopeError>]).self) { group in
            for start in stride(from: 0, to: batch.count, by: size) {
                let slice = Array(batch[start..<min(start + size, batch.count)])
                group.addTask {
                    (start, slice.map { unwrap($0.bytes, key: key, known: known) })
                }
            }
            var parts: [(Int, [Result<DecodedHeartbeat, HeartbeatEnvelopeError>])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
