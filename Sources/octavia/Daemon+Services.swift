import Logging
import OctaviaConfig
import OctaviaCore
import OctaviaDriverAgent
import OctaviaHousekeeping
import OctaviaMetrics
import OctaviaWorker
import ServiceLifecycle

extension Daemon {
    /// The port of this process's metrics endpoint: all-in-one has its own option, a single
    /// daemon uses its role's; nil (port 0) serves none.
    static func metricsPort(_ metrics: MetricsSettings, roles: Set<Role>) -> Int? {
        let port: Int
        if roles.count > 1 {
            port = metrics.allInOnePort
        } else {
            switch roles.first {
            case .api: port = metrics.apiPort
            case .worker: port = metrics.workerPort
            case .housekeeping: port = metrics.housekeepingPort
            case .driverAgent: port = metrics.driverAgentPort
            // The one other daemon that runs alone.
            default: port = metrics.healthManagerPort
            }
        }
        return port > 0 ? port : nil
    }

    /// Housekeeping's agent certificate rotation (`[house_keeping] cert_interval`, `cert_expiry_buffer`,
    /// `cert_rotate_threads`; new certificates live `[certificates] cert_validity_time`), pushing through
    /// the configured amphora driver. The returned hook closes the driver's connections.
    static func makeCertificateRotation(_ settings: OctaviaSettings, store: any Store, logger: Logger) throws
        -> (service: any Service, shutdown: (@Sendable () async -> Void)?)
    {
        let (driver, generator, shutdown) = try makeAmphoraDriver(settings, logger: logger)
        let house = settings.houseKeeping
        let rotation = CertificateRotation(
            store: store, generator: generator, uploader: driver,
            settings: .init(interval: .seconds(house.certInterval), expiryBuffer: .seconds(house.certExpiryBuffer),
                            validity: .seconds(settings.certificates.certValidityTime),
                            concurrency: house.certRotateThreads),
            logger: logger)
        return (rotation, shutdown)
    }

    /// The driver agent from `[driver_agent]`. Inside all-in-one (`required` false) a socket that
    /// cannot be bound is logged and the rest keeps running; `octavia driver-agent` fails instead.
    static func makeDriverAgent(_ settings: OctaviaSettings, store: any Store, required: Bool, logger: Logger) -> any Service {
        let agent = settings.driverAgent
        let service = DriverAgent(store: store, settings: .init(
            statusSocketPath: agent.statusSocketPath, statsSocketPath: agent.statsSocketPath,
            getSocketPath: agent.getSocketPath,
            requestTimeout: .seconds(max(agent.statusRequestTimeout, agent.statsRequestTimeout, agent.getRequestTimeout)),
            maxConcurrentRequests: max(agent.statusMaxProcesses, agent.statsMaxProcesses, agent.getMaxProcesses)),
            logger: logger)
        return required ? service : OptionalService(service, logger: logger)
    }
}

/// Runs a service whose failure must not stop the process: logs it and idles until shutdown.
struct OptionalService: Service {
    let base: any Service
    let logger: Logger

    init(_ base: any Service, logger: Logger) {
        self.base = base
        self.logger = logger
    }

    func run() async throws {
        do {
            try await base.run()
        } catch {
            logger.error("service stopped; the process goes on without it", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}

/// Records the worker's flows into the process's Prometheus registry.
struct FlowMetricsObserver: FlowObserver {
    let metrics = FlowMetrics()

    func flowStarted(_ action: JobAction) {
        metrics.started(flow: action.flowName, isFailover: action.isFailover)
    }

    func flowFinished(_ action: JobAction, duration: Duration, outcome: FlowOutcome) {
        let mapped: FlowMetrics.Outcome = switch outcome {
        case .succeeded: .succeeded
        case .failed: .failed
        case .interrupted: .interrupted
        }
        metrics.finished(flow: action.flowName, isFailover: action.isFailover, duration: duration, outcome: mapped)
    }
}
