import Foundation
import Logging
import Metrics
import OctaviaCore
import ServiceLifecycle

/// Octavia's health check loop: every `health_check_interval`, amphorae silent for longer than
/// `heartbeat_timeout` are failed over (job `failoverAmphora`), unless `failover_threshold` says a
/// mass outage is more likely a controller-side problem. The store does each sweep in one
/// transaction with compare-and-set updates, so several health managers can run at once.
public struct StaleAmphoraSweeper: Service {
    let store: any HealthStore
    let configuration: HealthManagerConfiguration
    let logger: Logger
    private let failovers = Counter(label: "octavia_health_failovers_started_total")
    private let thresholdStops = Counter(label: "octavia_health_failover_threshold_reached_total")

    public init(store: any HealthStore, configuration: HealthManagerConfiguration, logger: Logger) {
        self.store = store; self.configuration = configuration; self.logger = logger
    }

    /// Graceful shutdown cancels the loop (and its sleeps) at once: a sweep has nothing to finish
    /// that its transaction does not already make atomic.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: configuration.sweepStartDelay)
            while !Task.isCancelled {
                await sweepOnce()
                try await Task.sleep(for: configuration.healthCheckInterval)
            }
        }
    }

    /// One sweep; errors are logged and the next sweep tries again.
    @discardableResult
    public func sweepOnce(now: Date = Date()) async -> StaleSweepResult? {
        let cutoff = now.addingTimeInterval(-configuration.heartbeatTimeout.seconds)
        do {
            let result = try await store.sweepStaleAmphorae(cutoff: cutoff, threshold: configuration.failoverThreshold,
                                                            limit: configuration.failoverThreads)
            switch result {
            case .failingOver(let ids):
                for id in ids { logger.warning("amphora heartbeat timed out, failing it over", metadata: ["amphora": "\(id)"]) }
                failovers.increment(by: ids.count)
            case .thresholdReached(let count, let stopped):
                thresholdStops.increment()
                logger.error("stale amphorae reached failover_threshold, automatic failover stopped",
                             metadata: ["stale": "\(count)", "threshold": "\(configuration.failoverThreshold ?? 0)",
                                        "marked_failover_stopped": "\(stopped.count)"])
            }
            return result
        } catch {
            logger.error("stale amphora sweep failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

extension StaleAmphoraSweeper: CustomStringConvertible {
    public var description: String { "StaleAmphoraSweeper(\(configuration))" }
}
