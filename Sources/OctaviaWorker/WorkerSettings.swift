import OctaviaCore
import OctaviaHAProxyConfig

/// What the worker needs from octavia.conf, mapped by the executable.
public struct WorkerSettings: Sendable {
    public var render: HAProxyRenderSettings
    /// How long a new amphora's agent has to answer.
    public var amphoraBootTimeout: Duration
    /// Validity of the agent server certificates (`[certificates] cert_validity_time`).
    public var certificateValidity: Duration
    /// A job whose holder stops renewing is taken over after this (`[job_queue] lease_seconds`).
    public var lease: Duration
    /// How often to look for jobs from other processes (`[job_queue] poll_interval`).
    public var pollInterval: Duration
    /// Jobs run at the same time by one worker process.
    public var concurrency: Int
    /// Attempts before a job is given up and its object marked ERROR.
    public var maxAttempts: Int

    public init(render: HAProxyRenderSettings = HAProxyRenderSettings(), amphoraBootTimeout: Duration = .seconds(30),
                certificateValidity: Duration = .seconds(2_592_000), lease: Duration = .seconds(30),
                pollInterval: Duration = .seconds(1), concurrency: Int = 4, maxAttempts: Int = 3) {
        self.render = render; self.amphoraBootTimeout = amphoraBootTimeout
        self.certificateValidity = certificateValidity; self.lease = lease; self.pollInterval = pollInterval
        self.concurrency = concurrency; self.maxAttempts = maxAttempts
    }
}

/// Everything the flows talk to, passed in once (no global lookups).
public struct WorkerDependencies: Sendable {
    public var store: any Store
    public var compute: any ComputeDriver
    public var network: any NetworkDriver
    public var amphora: any AmphoraDriver
    public var certificates: any CertificateGenerator
    /// Resolves listener/pool TLS references before a config is pushed; nil: every reference is missing.
    public var certificateManager: (any CertificateManager)?
    /// TLS files pushed per amphora and load balancer; one per worker process, shared by its flows.
    public var tlsFiles: TLSFileLedger
    public var settings: WorkerSettings

    public init(store: any Store, compute: any ComputeDriver, network: any NetworkDriver, amphora: any AmphoraDriver,
                certificates: any CertificateGenerator, settings: WorkerSettings,
                certificateManager: (any CertificateManager)? = nil, tlsFiles: TLSFileLedger = TLSFileLedger()) {
        self.store = store; self.compute = compute; self.network = network; self.amphora = amphora
        self.certificates = certificates; self.settings = settings; self.certificateManager = certificateManager
        self.tlsFiles = tlsFiles
    }
}
