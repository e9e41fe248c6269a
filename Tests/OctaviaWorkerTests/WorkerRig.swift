import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

/// A controller worker on an in-memory database and the noop drivers, shared by the worker suites.
struct WorkerRig {
    let store: SQLStore
    let compute: NoopComputeDriver
    let amphora: NoopAmphoraDriver
    let network: NoopNetworkDriver
    let worker: ControllerWorker

    /// Runs `body` with a fresh rig and always closes its database (SQLiteNIO asserts on unclosed connections).
    static func with(
        subnets: [Subnet], logLevel: Logger.Level = .info,
        certificateManager: (any CertificateManager)? = nil,
        _ body: (WorkerRig) async throws -> Void
    ) async throws {
        let store = try await SQLStore.openSQLite(path: nil, logger: Logger(label: "t"))
        let compute = NoopComputeDriver(), amphora = NoopAmphoraDriver()
        let network = NoopNetworkDriver(subnets: subnets)
        let deps = WorkerDependencies(store: store, compute: compute, network: network, amphora: amphora,
                                      certificates: NoopCertificateGenerator(), settings: WorkerSettings(),
                                      certificateManager: certificateManager)
        var logger = Logger(label: "t")
        logger.logLevel = logLevel
        let rig = WorkerRig(store: store, compute: compute, amphora: amphora, network: network,
                            worker: ControllerWorker(dependencies: deps, logger: logger))
        do { try await body(rig) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Claims the next job and runs it to the end.
    func runOneJob() async throws {
        let job = try #require(try await worker.claim())
        await worker.process(job)
    }
}
