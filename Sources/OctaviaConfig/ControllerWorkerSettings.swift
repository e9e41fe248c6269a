import OctaviaCore

/// `[controller_worker]`: the worker that runs flows, and which drivers it uses.
public struct ControllerWorkerSettings: SettingsSection {
    /// Compute drivers this build can load.
    public enum ComputeDriverName: String, Sendable, CaseIterable {
        case localComputeDriver = "local_compute_driver"
        case computeNoopDriver = "compute_noop_driver"
    }

    /// Network drivers this build can load.
    public enum NetworkDriverName: String, Sendable, CaseIterable {
        case localNetworkDriver = "local_network_driver"
        case networkNoopDriver = "network_noop_driver"
    }

    /// Amphora drivers this build can load.
    public enum AmphoraDriverName: String, Sendable, CaseIterable {
        case amphoraHAProxyRESTDriver = "amphora_haproxy_rest_driver"
        case amphoraNoopDriver = "amphora_noop_driver"
    }

    /// `loadbalancer_topology` (SINGLE|ACTIVE_STANDBY, default SINGLE).
    public var loadBalancerTopology: Topology
    /// `workers` (int ≥ 1, default 1): concurrent flows per worker process.
    public var workers: Int
    /// `amp_active_retries` (int ≥ 0, default 30): polls waiting for a booting amphora.
    public var ampActiveRetries: Int
    /// `amp_active_wait_sec` (int ≥ 0, default 10): seconds between those polls.
    public var ampActiveWaitSec: Int
    /// `compute_driver` (default local_compute_driver; also compute_noop_driver).
    public var computeDriver: ComputeDriverName
    /// `network_driver` (default local_network_driver; also network_noop_driver).
    public var networkDriver: NetworkDriverName
    /// `amphora_driver` (default amphora_haproxy_rest_driver; also amphora_noop_driver).
    public var amphoraDriver: AmphoraDriverName
    /// `amp_image_tag` (string, default ""): image tag for amphora boots (Nova only).
    public var ampImageTag: String
    /// `amp_flavor_id` (string, default ""): flavor for amphora boots (Nova only).
    public var ampFlavorID: String
    /// `amp_boot_network_list` (list, default []): management networks of amphorae.
    public var ampBootNetworkList: [String]
    /// `client_ca` (string, default /etc/octavia/certs/ca_01.pem): accepted for compatibility;
    /// the local certificate manager provides the CA instead.
    public var clientCA: String

    public enum Option {
        public static let loadBalancerTopology: ConfigOption<Topology> = .choice(
            "loadbalancer_topology", default: .single, help: "Load balancer topology configuration.")
        public static let workers: ConfigOption<Int> = .integer(
            "workers", default: 1, min: 1, help: "Number of workers for the controller-worker service.")
        public static let ampActiveRetries: ConfigOption<Int> = .integer(
            "amp_active_retries", default: 30, min: 0, help: "Retry attempts to wait for an amphora to become active.")
        public static let ampActiveWaitSec: ConfigOption<Int> = .integer(
            "amp_active_wait_sec", default: 10, min: 0, help: "Seconds to wait between checks on whether an amphora has become active.")
        public static let computeDriver: ConfigOption<ComputeDriverName> = .choice(
            "compute_driver", default: .localComputeDriver,
            help: "Name of the compute driver: local network-namespace amphorae, or a noop driver that only records calls.")
        public static let networkDriver: ConfigOption<NetworkDriverName> = .choice(
            "network_driver", default: .localNetworkDriver,
            help: "Name of the network driver: local bridges from [local_network:<name>] sections, or a noop driver.")
        public static let amphoraDriver: ConfigOption<AmphoraDriverName> = .choice(
            "amphora_driver", default: .amphoraHAProxyRESTDriver,
            help: "Name of the amphora driver: the agent REST client, or a noop driver.")
        public static let ampImageTag: ConfigOption<String> = .string(
            "amp_image_tag", default: "", help: "Glance image tag for the amphora image to boot (unused by local compute).")
        public static let ampFlavorID: ConfigOption<String> = .string(
            "amp_flavor_id", default: "", help: "Nova instance flavor id for the amphora (unused by local compute).")
        public static let ampBootNetworkList: ConfigOption<[String]> = .list(
            "amp_boot_network_list", default: [], help: "List of networks to attach to the amphorae.")
        public static let clientCA: ConfigOption<String> = .string(
            "client_ca", default: "/etc/octavia/certs/ca_01.pem",
            help: "Client CA for the amphora agent to use. Accepted for compatibility; unused locally, where "
                + "the local certificate manager provides the CA.")
    }

    public static let sectionName = "controller_worker"
    public static let sectionHelp = "The controller worker and the drivers it uses."
    public static let options = [
        Option.loadBalancerTopology.descriptor, Option.workers.descriptor, Option.ampActiveRetries.descriptor,
        Option.ampActiveWaitSec.descriptor, Option.computeDriver.descriptor, Option.networkDriver.descriptor,
        Option.amphoraDriver.descriptor, Option.ampImageTag.descriptor, Option.ampFlavorID.descriptor,
        Option.ampBootNetworkList.descriptor, Option.clientCA.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        loadBalancerTopology = try reader(Option.loadBalancerTopology)
        workers = try reader(Option.workers)
        ampActiveRetries = try reader(Option.ampActiveRetries)
        ampActiveWaitSec = try reader(Option.ampActiveWaitSec)
        computeDriver = try reader(Option.computeDriver)
        networkDriver = try reader(Option.networkDriver)
        amphoraDriver = try reader(Option.amphoraDriver)
        ampImageTag = try reader(Option.ampImageTag)
        ampFlavorID = try reader(Option.ampFlavorID)
        ampBootNetworkList = try reader(Option.ampBootNetworkList)
        clientCA = try reader(Option.clientCA)
    }
}
