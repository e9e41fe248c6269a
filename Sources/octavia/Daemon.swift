import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OctaviaAPI
import OctaviaAmphoraDriver
import OctaviaConfig
import OctaviaCore
import OctaviaDriverAgent
import OctaviaHAProxyConfig
import OctaviaHealthManager
import OctaviaHousekeeping
import OctaviaLocalCerts
import OctaviaLocalDrivers
import OctaviaMetrics
import OctaviaNoopDrivers
import OctaviaPersistence
import OctaviaWorker
import ServiceLifecycle

/// Builds the dependency graph from settings, in one place, and runs the chosen daemons.
enum Daemon {
    enum Role: Hashable { case api, worker, housekeeping, healthManager, driverAgent }

    static func run(settings: OctaviaSettings, roles: Set<Role>) async throws {
        let logger = makeLogger(settings)
        // Policy-file and [keystone_authtoken] mistakes stop the start, before anything runs.
        let auth = roles.contains(.api) ? try makeAuthentication(settings, logger: logger.labelled("auth")) : nil
        let registry = OctaviaMetrics.bootstrap()
        let store = try await openStore(settings, logger: logger, migrate: true)
        let network = try await makeNetworkDriver(settings, store: store, logger: logger)
        var services: [any Service] = []
        var shutdownHooks: [@Sendable () async -> Void] = [{ await store.close() }]
        if let auth { shutdownHooks.append(auth.shutdown) }

        if roles.contains(.worker) {
            let (amphora, certificates, shutdown) = try makeAmphoraDriver(settings, logger: logger)
            if let shutdown { shutdownHooks.append(shutdown) }
            let deps = WorkerDependencies(
                store: store, compute: try makeComputeDriver(settings, logger: logger), network: network,
                amphora: amphora, certificates: certificates, settings: workerSettings(settings),
                certificateManager: makeCertificateManager(settings))
            services.append(ControllerWorker(dependencies: deps, logger: logger.labelled("worker"), observer: FlowMetricsObserver()))
        }
        if roles.contains(.healthManager) {
            services += try healthManagerServices(settings, store: store, required: roles.count == 1, logger: logger)
        }
        if roles.contains(.housekeeping) {
            let house = settings.houseKeeping
            services.append(DatabaseCleanup(store: store, settings: .init(
                interval: .seconds(house.cleanupInterval), loadBalancerExpiryAge: .seconds(house.loadBalancerExpiryAge),
                amphoraExpiryAge: .seconds(house.amphoraExpiryAge)), logger: logger.labelled("housekeeping")))
            let rotation = try makeCertificateRotation(settings, store: store, logger: logger.labelled("housekeeping"))
            services.append(rotation.service)
            if let shutdown = rotation.shutdown { shutdownHooks.append(shutdown) }
        }
        if roles.contains(.driverAgent) {
            services.append(makeDriverAgent(settings, store: store, required: roles.count == 1, logger: logger.labelled("driver-agent")))
        }
        if let port = metricsPort(settings.metrics, roles: roles) {
            services.append(MetricsEndpoint(registry: registry, host: settings.metrics.bindHost, port: port, logger: logger.labelled("metrics")))
        }
        if roles.contains(.api) {
            var options = apiOptions(settings)
            options.authentication = auth?.authentication
            options.enforceQuotas = auth != nil
            let router = buildAPIRouter(store: store, network: network, options: options, logger: logger.labelled("api"))
            let app = Application(
                router: router,
                configuration: .init(address: .hostname(settings.api.bindHost, port: settings.api.bindPort), serverName: nil),
                logger: logger.labelled("api"))
            services.append(app)
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            for hook in shutdownHooks { await hook() }
            throw error
        }
        for hook in shutdownHooks { await hook() }
    }

    static func makeLogger(_ settings: OctaviaSettings) -> Logger {
        if let file = settings.defaults.logFile, !file.isEmpty {
            // Everything the process logs goes to the file (swift-log's stream handler writes stderr).
            let fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0o640)
            if fd >= 0 {
                dup2(fd, STDERR_FILENO)
                close(fd)
            }
        }
        var logger = Logger(label: "octavia")
        logger.logLevel = settings.defaults.debug ? .debug : .info
        return logger
    }

    static func openStore(_ settings: OctaviaSettings, logger: Logger, migrate: Bool) async throws -> SQLStore {
        switch settings.database.connection {
        case .sqlite(let path):
            return try await SQLStore.openSQLite(path: path, logger: logger, migrate: migrate)
        case .postgres:
            throw ValidationError("[database] connection: PostgreSQL is not supported yet; use sqlite:////abs/path/octavia.db")
        }
    }

    static func makeNetworkDriver(_ settings: OctaviaSettings, store: any Store, logger: Logger) async throws -> any NetworkDriver {
        let local = settings.localNetworking
        switch settings.controllerWorker.networkDriver {
        case .localNetworkDriver:
            let driver = LocalNetworkDriver(
                switchNamespace: local.switchNamespace,
                networks: local.networks.map {
                    LocalNetwork(name: $0.name, networkID: $0.networkID, subnetID: $0.subnetID, subnetName: $0.subnetName,
                                 cidr: $0.cidr.description, gateway: $0.gateway?.description,
                                 allocationPoolStart: $0.allocationPoolStart.description,
                                 allocationPoolEnd: $0.allocationPoolEnd.description)
                },
                mtu: local.mtu, store: store, logger: logger.labelled("network"))
            try await driver.prepare()
            return driver
        case .networkNoopDriver:
            return NoopNetworkDriver(
                networks: local.networks.map { Network(id: $0.networkID, name: $0.name, subnetIDs: [$0.subnetID]) },
                subnets: local.networks.map {
                    Subnet(id: $0.subnetID, name: $0.subnetName, networkID: $0.networkID, cidr: $0.cidr.description,
                           gatewayIP: $0.gateway?.description)
                })
        }
    }

    static func makeComputeDriver(_ settings: OctaviaSettings, logger: Logger) throws -> any ComputeDriver {
        let local = settings.localCompute
        switch settings.controllerWorker.computeDriver {
        case .localComputeDriver:
            let agent = local.agentCommand.flatMap { $0.isEmpty ? nil : $0 } ?? siblingExecutable("amphora-agent")
            return LocalComputeDriver(statePath: local.statePath, agentCommand: agent, namespacePrefix: local.namespacePrefix,
                                      bootTimeout: .seconds(local.agentBootTimeout), heartbeat: localHeartbeat(settings),
                                      logger: logger.labelled("compute"))
        case .computeNoopDriver:
            return NoopComputeDriver()
        }
    }

    /// The health manager's services. Alone (`octavia health-manager`) a missing `heartbeat_key` is an
    /// error; inside all-in-one the health manager is then left out with a warning.
    static func healthManagerServices(_ settings: OctaviaSettings, store: SQLStore, required: Bool,
                                      logger: Logger) throws -> [any Service] {
        let unixSocket = settings.controllerWorker.computeDriver == .localComputeDriver ? localHeartbeatSocket(settings) : nil
        do {
            let configuration = try HealthManagerConfiguration(settings: settings.healthManager, unixSocketPath: unixSocket)
            return OctaviaHealthManager.HealthManager.makeServices(
                store: store, configuration: configuration, logger: logger.labelled("health-manager"))
        } catch {
            if required { throw ValidationError("\(error)") }
            logger.warning("health manager not started", metadata: ["reason": "\(error)"])
            return []
        }
    }

    /// Where local amphorae send heartbeats: a Unix datagram socket beside their directories, reachable
    /// from every amphora network namespace (no UDP route leaves them).
    static func localHeartbeatSocket(_ settings: OctaviaSettings) -> String {
        settings.localCompute.statePath + "/heartbeat.sock"
    }

    /// The `[health_manager]` options written into local amphorae's agent configuration.
    static func localHeartbeat(_ settings: OctaviaSettings) -> LocalAmphoraHeartbeat? {
        guard let key = settings.healthManager.heartbeatKey, !key.isEmpty else { return nil }
        return LocalAmphoraHeartbeat(key: key, interval: settings.healthManager.heartbeatInterval,
                                     destinations: ["unix:" + localHeartbeatSocket(settings)])
    }

    static func makeAmphoraDriver(_ settings: OctaviaSettings, logger: Logger) throws
        -> (any AmphoraDriver & AmphoraCertificateUploader, any CertificateGenerator, (@Sendable () async -> Void)?)
    {
        switch settings.controllerWorker.amphoraDriver {
        case .amphoraHAProxyRESTDriver:
            let ca = try LocalCertificateAuthority(directory: settings.certificates.storagePath)
            let hap = settings.haproxyAmphora
            let driver = try RESTAmphoraDriver(
                clientPEM: ca.controllerClientPEM, serverCAPEM: ca.serverCAPEM,
                requestTimeout: .milliseconds(Int64(hap.restRequestReadTimeout * 1000)),
                connectTimeout: .milliseconds(Int64(hap.restRequestConnTimeout * 1000)),
                agentPort: hap.bindPort, logger: logger.labelled("amphora"))
            return (driver, ca, { try? await driver.shutdown() })
        case .amphoraNoopDriver:
            return (NoopAmphoraDriver(), NoopCertificateGenerator(), nil)
        }
    }

    static func workerSettings(_ settings: OctaviaSettings) -> WorkerSettings {
        let hap = settings.haproxyAmphora
        // Local amphorae share this machine's file-descriptor limit: cap HAProxy's global maxconn.
        let cap = settings.controllerWorker.computeDriver == .localComputeDriver
            ? settings.localCompute.haproxyMaxConnections : 1_000_000
        return WorkerSettings(
            render: HAProxyRenderSettings(basePath: hap.basePath, defaultConnectionLimit: hap.defaultConnectionLimit,
                                          maximumGlobalConnections: cap, stickTableSize: hap.haproxyStickSize),
            amphoraBootTimeout: .seconds(settings.localCompute.agentBootTimeout),
            certificateValidity: .seconds(settings.certificates.certValidityTime),
            lease: .seconds(settings.jobQueue.leaseSeconds),
            pollInterval: .milliseconds(Int64(settings.jobQueue.pollInterval * 1000)),
            concurrency: max(1, settings.controllerWorker.workers) * 4)
    }

    static func apiOptions(_ settings: OctaviaSettings) -> APIOptions {
        let api = settings.api, hap = settings.haproxyAmphora, net = settings.networking
        let limit: Int? = switch api.paginationMaxLimit {
        case .limited(let n): n
        case .infinite: nil
        }
        var options = APIOptions(
            paginationMaxLimit: limit, apiBaseURI: api.apiBaseURI,
            noauthDefaultProjectID: settings.noauth.defaultProjectID.rawValue,
            defaultProviderDriver: api.defaultProviderDriver, enabledProviderDrivers: api.enabledProviderDrivers,
            topology: settings.controllerWorker.loadBalancerTopology,
            listenerDefaults: (hap.timeoutClientData, hap.timeoutMemberConnect, hap.timeoutMemberData, hap.timeoutTCPInspect),
            reservedIPs: net.reservedIPs, allowVIPNetworkID: net.allowVIPNetworkID, allowVIPSubnetID: net.allowVIPSubnetID,
            allowVIPPortID: net.allowVIPPortID)
        let quotas = settings.quotas
        options.quotaDefaults = QuotaLimits(
            loadBalancer: quotas.defaultLoadBalancerQuota, listener: quotas.defaultListenerQuota,
            pool: quotas.defaultPoolQuota, healthMonitor: quotas.defaultHealthMonitorQuota,
            member: quotas.defaultMemberQuota, l7Policy: quotas.defaultL7PolicyQuota, l7Rule: quotas.defaultL7RuleQuota)
        options.tls = apiTLSOptions(settings)
        return options
    }

    /// `<dir of this executable>/<name>`: the default agent binary sits next to `octavia`.
    static func siblingExecutable(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidate = me.deletingLastPathComponent().appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        if let proc = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: proc).deletingLastPathComponent().appendingPathComponent(name).path
        }
        return name
    }
}

extension Logger {
    /// The same handler and level, with a component label in the metadata.
    func labelled(_ component: String) -> Logger {
        var copy = self
        copy[metadataKey: "component"] = "\(component)"
        return copy
    }
}
