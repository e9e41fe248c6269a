import Logging
import OctaviaCore
import ServiceLifecycle

/// The health manager: receives amphora heartbeats over UDP (and a Unix socket for local amphorae),
/// keeps amphora health, operating statuses and listener statistics up to date, and fails over
/// amphorae whose heartbeats stop.
public enum HealthManager {
    /// The daemon's services: the batch processor, the listener feeding it and the stale sweeper.
    public static func makeServices(store: any HealthStore, configuration: HealthManagerConfiguration,
                                    logger: Logger) -> [any Service] {
        let processor = HeartbeatProcessor(store: store, configuration: configuration, logger: logger)
        return [
            ProcessorService(processor: processor),
            HeartbeatListener(processor: processor, configuration: configuration, logger: logger),
            StaleAmphoraSweeper(store: store, configuration: configuration, logger: logger),
        ]
    }
}

/// Runs the processor until shutdown; queued batches are finished first.
struct ProcessorService: Service {
    let processor: HeartbeatProcessor

    func run() async throws {
        async let processing: Void = processor.run()
        try? await gracefulShutdown()
        processor.finish()
        await processing
    }
}
