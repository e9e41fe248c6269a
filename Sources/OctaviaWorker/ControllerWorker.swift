import Foundation
import Logging
import OctaviaCore
import ServiceLifecycle

/// Takes jobs from the durable queue and runs their flows (Octavia's `octavia-worker`).
///
/// Several of these may share one database: claims are atomic, a running job's lease is renewed,
/// and a job whose holder died (same host: its pid is gone; elsewhere: its lease ran out) is taken
/// over and its flow run again from the start — every flow is written to be re-runnable.
public final class ControllerWorker: Service {
    let deps: WorkerDependencies
    let logger: Logger
    let identity: WorkerIdentity
    /// Told about every flow's start and end (metrics); nil records nothing.
    let observer: (any FlowObserver)?

    public init(dependencies: WorkerDependencies, logger: Logger, identity: WorkerIdentity = .current(),
                observer: (any FlowObserver)? = nil) {
        self.deps = dependencies
        self.logger = logger
        self.identity = identity
        self.observer = observer
    }

    public func run() async throws {
        logger.info("controller worker started", metadata: ["worker": "\(identity)"])
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, deps.settings.concurrency) {
                    group.addTask { await self.loop(stopping) }
                }
            }
        } onGracefulShutdown: {
            stopping.stop()
        }
        logger.info("controller worker stopped")
    }

    /// Claims and runs jobs until shutdown; jobs already running are finished first.
    func loop(_ stopping: StopFlag) async {
        while !stopping.isStopped && !Task.isCancelled {
            do {
                if let job = try await claim() {
                    await process(job)
                } else {
                    await deps.store.jobs.waitForWork(timeout: deps.settings.pollInterval)
                }
            } catch {
                logger.error("job queue error", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: deps.settings.pollInterval)
            }
        }
    }

    func claim() async throws -> Job? {
        let me = identity
        return try await deps.store.jobs.claim(by: me, lease: deps.settings.lease) { holder in
            WorkerIdentity.liveness(of: holder, seenFrom: me)
        }
    }

    /// Runs one job to the end (success, or final failure after `maxAttempts`). If its lease is
    /// lost or the process is shutting down mid-flow, the flow stops without reverting and the job
    /// stays in the queue for whoever takes it next.
    public func process(_ job: Job) async {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "lb"] = "\(job.action.loadBalancerID)"
        if job.attempts > 1 {
            logger.notice("taking over a job left by a stopped worker", metadata: ["attempt": "\(job.attempts)"])
        }
        let started = ContinuousClock.now
        observer?.flowStarted(job.action)
        let flow = Task { [logger] in
            if job.attempts > deps.settings.maxAttempts {
                logger.error("job exceeded its attempts; marking it failed")
                await markFailed(job, logger: logger)
            } else {
                try await run(job, logger: logger)
            }
        }
        let renewal = Task { [deps, identity] in
            while !Task.isCancelled {
                try? await Task.sleep(for: deps.settings.lease / 3)
                if Task.isCancelled { break }
                if (try? await deps.store.jobs.renew(job.id, by: identity, lease: deps.settings.lease)) == false {
                    logger.error("lost the job's lease to another worker; stopping the flow")
                    flow.cancel()
                    break
                }
            }
        }
        let result = await withTaskCancellationHandler { await flow.result } onCancel: { flow.cancel() }
        renewal.cancel()
        observer?.flowFinished(job.action, duration: ContinuousClock.now - started, outcome: FlowOutcome(result))
        switch result {
        case .success:
            logger.info("job done", metadata: ["action": "\(job.action)", "duration": "\(ContinuousClock.now - started)"])
        case .failure(let error) where error is CancellationError:
            logger.notice("job interrupted; left for takeover", metadata: ["action": "\(job.action)"])
            return
        case .failure(let error):
            // The flow reverted itself and set ERROR statuses (removing the job with them).
            logger.error("job failed", metadata: ["action": "\(job.action)", "error": "\(error)"])
        }
        // Normally already gone with the final status write; this covers flows that ended early.
        do { try await deps.store.jobs.finish(job.id) } catch {
            logger.error("could not remove finished job", metadata: ["error": "\(error)"])
        }
    }

    func run(_ job: Job, logger: Logger) async throws {
        if try await providerPath(of: job.action.loadBalancerID) == .statusOnly {
            try await ProviderFlows(deps: deps, logger: logger, job: job.id).run(job.action)
            return
        }
        let flows = LoadBalancerFlows(deps: deps, logger: logger, job: job.id)
        switch job.action {
        case .createLoadBalancer(let id):
            try await FlowRunner.run(flows.create(), context: CreateLoadBalancerContext(loadBalancerID: id), logger: logger)
        case .updateLoadBalancer(let id):
            try await FlowRunner.run(flows.update(), context: id, logger: logger)
        case .deleteLoadBalancer(let id, let cascade):
            try await FlowRunner.run(flows.delete(cascade: cascade), context: id, logger: logger)
        case .changeObject(let id, let target, let kind):
            try await FlowRunner.run(flows.change(), context: .init(loadBalancerID: id, target: target, kind: kind), logger: logger)
        case .failoverLoadBalancer(let id):
            let failover = FailoverFlows(deps: deps, logger: logger, job: job.id)
            try await FlowRunner.run(try failover.failover(), context: FailoverContext(loadBalancerID: id), logger: logger)
        case .failoverAmphora(let id, let amphora):
            let failover = FailoverFlows(deps: deps, logger: logger, job: job.id)
            try await FlowRunner.run(try failover.failover(), context: FailoverContext(loadBalancerID: id, requested: amphora),
                                     logger: logger)
        case .batchUpdateMembers(let id, let pool):
            let batch = MemberBatchFlows(deps: deps, logger: logger, job: job.id)
            try await FlowRunner.run(batch.batchUpdate(), context: .init(loadBalancerID: id, poolID: pool), logger: logger)
        case .deleteAmphora(_, let amphora):
            try await FailoverFlows(deps: deps, logger: logger, job: job.id).deleteAmphora(amphora)
        }
    }

    /// The load balancer's provider decides between the amphora flows and the status-only path
    /// (a load balancer already gone is left to the amphora flows, which tolerate it).
    func providerPath(of id: LoadBalancer.ID) async throws -> ProviderPath {
        guard let lb = try await deps.store.reader.fetch(LoadBalancer.self, id: id.rawValue) else { return .amphora }
        return ProviderPath(provider: lb.provider)
    }

    /// Final failure without running the flow: the same statuses its first revert would set.
    func markFailed(_ job: Job, logger: Logger) async {
        let statuses = StatusTasks(store: deps.store, job: job.id)
        do {
            switch job.action {
            case .createLoadBalancer(let id):
                let amphorae = AmphoraTasks(deps: deps, logger: logger)
                for amphora in try await amphorae.liveAmphorae(of: id) { await amphorae.teardown(amphora) }
                try await statuses.finishCreate(id, .error, operating: .error)
            case .updateLoadBalancer(let id), .deleteLoadBalancer(let id, _):
                try await statuses.setLoadBalancer(id, .error)
            case .changeObject(let id, let target, _):
                try await statuses.fail(id, target: target)
            case .failoverLoadBalancer(let id), .failoverAmphora(let id, _):
                try await FailoverFlows(deps: deps, logger: logger, job: job.id).markFailed(id)
            case .batchUpdateMembers(let id, let pool):
                try await MemberBatchFlows.fail(.init(loadBalancerID: id, poolID: pool), store: deps.store, job: job.id)
            case .deleteAmphora(_, let amphora):
                try await FailoverFlows(deps: deps, logger: logger, job: job.id).markAmphoraError(amphora)
            }
        } catch {
            logger.error("could not mark job failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Set once when graceful shutdown begins; read by the job loops.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
}

extension WorkerIdentity {
    /// This process.
    public static func current() -> WorkerIdentity {
        WorkerIdentity(host: ProcessInfo.processInfo.hostName, pid: getpid(),
                       startedAt: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// On our host a holder is dead when its pid is gone, or when the pid now belongs to a later
    /// process (a restart that reused it: ourselves, for instance); otherwise it is alive, whatever
    /// its lease says. Holders on other hosts are judged by their lease alone.
    static func liveness(of holder: WorkerIdentity, seenFrom me: WorkerIdentity) -> HolderLiveness {
        guard holder.host == me.host else { return .unknown }
        if holder.pid == me.pid { return holder.startedAt == me.startedAt ? .alive : .dead }
        return kill(holder.pid, 0) != 0 && errno == ESRCH ? .dead : .alive
    }
}
