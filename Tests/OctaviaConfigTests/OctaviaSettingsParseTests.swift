import Foundation
import OctaviaCore
import Testing

@testable import OctaviaConfig

@Suite struct OctaviaSettingsParseTests {
    static let goodFile = """
        [DEFAULT]
        host = ctl-1
        debug = Yes
        log_file = /var/log/octavia.log

        [api_settings]
        bind_host = 0.0.0.0
        bind_port = 19876
        auth_strategy = testing
        allow_sorting = off
        pagination_max_limit = infinite
        api_base_uri = https://lb.example.test/
        enabled_provider_drivers = amphora:The Octavia Amphora driver., noop : A noop driver
        default_provider_driver = noop
        healthcheck_enabled = 1

        [database]
        connection = postgresql+psycopg2://octavia:s%40cret@db.example.test:6543/octavia

        [controller_worker]
        loadbalancer_topology = ACTIVE_STANDBY
        workers = 4
        compute_driver = compute_noop_driver
        network_driver = network_noop_driver
        amphora_driver = amphora_noop_driver
        amp_boot_network_list = net-a, net-b ,
          net-c

        [haproxy_amphora]
        bind_port = 19443
        rest_request_conn_timeout = 2.5
        haproxy_stick_size = 1m
        connection_logging = false

        [health_manager]
        heartbeat_key = insecure
        controller_ip_port_list = 127.0.0.1:5555, [::1]:5556
        failover_threshold = 3

        [house_keeping]
        cleanup_interval = 5

        [certificates]
        ca_certificate = /etc/octavia/ca.pem
        ca_private_key = /etc/octavia/ca.key
        signing_digest = sha512

        [networking]
        reserved_ips = 169.254.169.254, 10.0.0.5
        valid_vip_networks = 2f2e0e5a-1b4c-4b8e-9f0a-0d7c1f1e2a3b

        [quotas]
        default_member_quota = 100

        [noauth]
        default_project_id = demo

        [job_queue]
        lease_seconds = 10
        poll_interval = 0.25

        [local_compute]
        agent_command = /opt/octavia/bin/amphora-agent
        haproxy_max_connections = 2000

        [local_networking]
        switch_namespace = sw-test
        mtu = 1400

        [local_network:public]
        network_id = 2F2E0E5A-1B4C-4B8E-9F0A-0D7C1F1E2A3B
        subnet_id = 6d7c0b1e-3a2f-4f6e-8d9c-1b2a3c4d5e6f
        cidr = 10.0.0.0/24
        gateway = 10.0.0.1

        [local_network:members]
        network_id = 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
        subnet_id = 8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e
        subnet_name = member-net
        cidr = 192.168.50.0/28
        allocation_pool_start = 192.168.50.4
        allocation_pool_end = 192.168.50.10
        """

    @Test func goodFileParsesIntoTypedValues() throws {
        // MUT
        let settings = try OctaviaSettings.parse(Self.goodFile, path: "/etc/octavia/octavia.conf")

        // validate
        #expect(settings.defaults.host == "ctl-1")
        #expect(settings.defaults.debug)
        #expect(settings.defaults.logFile == "/var/log/octavia.log")

        #expect(settings.api.bindHost == "0.0.0.0")
        #expect(settings.api.bindPort == 19876)
        #expect(settings.api.authStrategy == .testing)
        #expect(settings.api.allowSorting == false)
        #expect(settings.api.allowPagination)
        #expect(settings.api.paginationMaxLimit == .infinite)
        #expect(settings.api.apiBaseURI == "https://lb.example.test/")
        #expect(settings.api.enabledProviderDrivers == ["amphora": "The Octavia Amphora driver.", "noop": "A noop driver"])
        #expect(settings.api.defaultProviderDriver == "noop")
        #expect(settings.api.healthcheckEnabled)

        #expect(settings.database.connection
            == .postgres(host: "db.example.test", port: 6543, user: "octavia", password: "s@cret", database: "octavia"))

        #expect(settings.controllerWorker.loadBalancerTopology == .activeStandby)
        #expect(settings.controllerWorker.workers == 4)
        #expect(settings.controllerWorker.computeDriver == .computeNoopDriver)
        #expect(settings.controllerWorker.networkDriver == .networkNoopDriver)
        #expect(settings.controllerWorker.amphoraDriver == .amphoraNoopDriver)
        #expect(settings.controllerWorker.ampBootNetworkList == ["net-a", "net-b", "net-c"])

        #expect(settings.haproxyAmphora.bindPort == 19443)
        #expect(settings.haproxyAmphora.restRequestConnTimeout == 2.5)
        #expect(settings.haproxyAmphora.haproxyStickSize == "1m")
        #expect(settings.haproxyAmphora.connectionLogging == false)

        #expect(settings.healthManager.heartbeatKey == "insecure")
        #expect(settings.healthManager.controllerIPPortList == ["127.0.0.1:5555", "[::1]:5556"])
        #expect(settings.healthManager.failoverThreshold == 3)

        #expect(settings.houseKeeping.cleanupInterval == 5)
        #expect(settings.certificates.caCertificate == "/etc/octavia/ca.pem")
        #expect(settings.certificates.caPrivateKey == "/etc/octavia/ca.key")
        #expect(settings.certificates.signingDigest == .sha512)
        #expect(settings.networking.reservedIPs == ["169.254.169.254", "10.0.0.5"])
        #expect(settings.networking.validVIPNetworks == ["2f2e0e5a-1b4c-4b8e-9f0a-0d7c1f1e2a3b"])
        #expect(settings.quotas.defaultMemberQuota == 100)
        #expect(settings.quotas.defaultPoolQuota == -1)
        #expect(settings.noauth.defaultProjectID == ProjectID("demo"))
        #expect(settings.jobQueue.leaseSeconds == 10)
        #expect(settings.jobQueue.pollInterval == 0.25)
        #expect(settings.localCompute.agentCommand == "/opt/octavia/bin/amphora-agent")
        #expect(settings.localCompute.haproxyMaxConnections == 2000)
        #expect(settings.localNetworking.switchNamespace == "sw-test")
        #expect(settings.localNetworking.mtu == 1400)

        let networks = settings.localNetworking.networks
        try #require(networks.count == 2)
        #expect(networks[0].name == "public")
        #expect(networks[0].networkID == "2f2e0e5a-1b4c-4b8e-9f0a-0d7c1f1e2a3b")
        #expect(networks[0].subnetName == "public-subnet")
        #expect(networks[0].cidr.description == "10.0.0.0/24")
        #expect(networks[0].gateway == IPv4Address("10.0.0.1"))
        #expect(networks[0].allocationPoolStart == IPv4Address("10.0.0.2"))
        #expect(networks[0].allocationPoolEnd == IPv4Address("10.0.0.254"))
        #expect(networks[1].name == "members")
        #expect(networks[1].subnetName == "member-net")
        #expect(networks[1].gateway == nil)
        #expect(networks[1].allocationPoolStart == IPv4Address("192.168.50.4"))
        #expect(networks[1].allocationPoolEnd == IPv4Address("192.168.50.10"))
        #expect(settings.localNetworking.network(id: "2F2E0E5A-1B4C-4B8E-9F0A-0D7C1F1E2A3B")?.name == "public")
    }

    @Test func absentOptionsTakeDefaults() throws {
        // MUT
        let settings = try OctaviaSettings.parse("", path: "empty.conf")

        // validate
        #expect(settings == OctaviaSettings())
        #expect(settings.defaults.host == ProcessInfo.processInfo.hostName)
        #expect(settings.defaults.debug == false)
        #expect(settings.defaults.logFile == nil)
        #expect(settings.api.bindHost == "127.0.0.1")
        #expect(settings.api.bindPort == 9876)
        #expect(settings.api.authStrategy == .noauth)
        #expect(settings.api.allowPagination && settings.api.allowSorting)
        #expect(settings.api.allowFiltering && settings.api.allowFieldSelection)
        #expect(settings.api.paginationMaxLimit == .limited(1000))
        #expect(settings.api.apiBaseURI == nil)
        #expect(settings.api.defaultProviderDriver == "amphora")
        #expect(settings.api.enabledProviderDrivers == [
            "amphora": "The Octavia Amphora driver.",
            "octavia": "Deprecated alias of the Octavia Amphora driver.",
        ])
        #expect(settings.api.allowTLSTerminatedListeners && settings.api.allowPingHealthMonitors)
        #expect(settings.api.allowPrometheusListeners)
        #expect(settings.api.healthcheckEnabled == false)
        #expect(settings.database.connection == .sqlite(path: "/var/lib/swift-octavia/octavia.db"))
        #expect(settings.controllerWorker.loadBalancerTopology == .single)
        #expect(settings.controllerWorker.workers == 1)
        #expect(settings.controllerWorker.ampActiveRetries == 30)
        #expect(settings.controllerWorker.ampActiveWaitSec == 10)
        #expect(settings.controllerWorker.computeDriver == .localComputeDriver)
        #expect(settings.controllerWorker.networkDriver == .localNetworkDriver)
        #expect(settings.controllerWorker.amphoraDriver == .amphoraHAProxyRESTDriver)
        #expect(settings.controllerWorker.ampImageTag == "")
        #expect(settings.controllerWorker.ampBootNetworkList == [])
        let haproxy = settings.haproxyAmphora
        #expect(haproxy.basePath == "/var/lib/octavia")
        #expect(haproxy.haproxyCmd == "/usr/sbin/haproxy")
        #expect(haproxy.bindHost == "::")
        #expect(haproxy.bindPort == 9443)
        #expect(haproxy.defaultConnectionLimit == 50000)
        #expect(haproxy.timeoutClientData == 50000 && haproxy.timeoutMemberConnect == 5000)
        #expect(haproxy.timeoutMemberData == 50000 && haproxy.timeoutTCPInspect == 0)
        #expect(haproxy.connectionMaxRetries == 120 && haproxy.connectionRetryInterval == 5)
        #expect(haproxy.restRequestConnTimeout == 10 && haproxy.restRequestReadTimeout == 60)
        #expect(haproxy.haproxyStickSize == "10k")
        #expect(haproxy.connectionLogging)
        #expect(haproxy.buildRateLimit == -1)
        let health = settings.healthManager
        #expect(health.bindIP == "127.0.0.1" && health.bindPort == 5555)
        #expect(health.heartbeatKey == nil)
        #expect(health.heartbeatTimeout == 60 && health.healthCheckInterval == 3 && health.heartbeatInterval == 10)
        #expect(health.controllerIPPortList == [])
        #expect(health.failoverThreshold == nil)
        #expect(health.failoverThreads == 10)
        let house = settings.houseKeeping
        #expect(house.cleanupInterval == 30 && house.amphoraExpiryAge == 604800 && house.loadBalancerExpiryAge == 604800)
        #expect(house.certInterval == 3600 && house.certExpiryBuffer == 1209600 && house.certRotateThreads == 10)
        let certs = settings.certificates
        #expect(certs.certGenerator == .localCertGenerator && certs.certManager == .localCertManager)
        #expect(certs.certValidityTime == 2592000 && certs.signingDigest == .sha256)
        #expect(certs.caCertificate == nil && certs.caPrivateKey == nil)
        #expect(certs.storagePath == "/var/lib/swift-octavia/certificates")
        #expect(settings.networking.reservedIPs == ["169.254.169.254"])
        #expect(settings.networking.allowVIPNetworkID && settings.networking.allowVIPSubnetID)
        #expect(settings.networking.allowVIPPortID)
        #expect(settings.networking.validVIPNetworks == nil)
        #expect(settings.networking.denylistVIPNetworks == [])
        let quotas = settings.quotas
        #expect([quotas.defaultLoadBalancerQuota, quotas.defaultListenerQuota, quotas.defaultMemberQuota,
                 quotas.defaultPoolQuota, quotas.defaultHealthMonitorQuota, quotas.defaultL7PolicyQuota,
                 quotas.defaultL7RuleQuota] == Array(repeating: -1, count: 7))
        #expect(settings.noauth.defaultProjectID == ProjectID("default"))
        #expect(settings.jobQueue.leaseSeconds == 30 && settings.jobQueue.pollInterval == 1.0)
        let compute = settings.localCompute
        #expect(compute.statePath == "/var/lib/swift-octavia/amphorae")
        #expect(compute.agentCommand == nil)
        #expect(compute.namespacePrefix == "octavia-amp-")
        #expect(compute.agentBootTimeout == 30 && compute.haproxyMaxConnections == 6000)
        #expect(settings.localNetworking.switchNamespace == "octavia-sw")
        #expect(settings.localNetworking.mtu == 1500)
        #expect(settings.localNetworking.networks.isEmpty)
    }

    @Test func emptyValueUnsetsOptionalOptions() throws {
        // MUT
        let settings = try OctaviaSettings.parse(
            "[api_settings]\napi_base_uri =\n[health_manager]\nfailover_threshold =\n", path: "x.conf")

        // validate
        #expect(settings.api.apiBaseURI == nil)
        #expect(settings.healthManager.failoverThreshold == nil)
    }

    @Test(arguments: ["true", "TRUE", "yes", "On", "1"])
    func boolSpellingsTrue(_ text: String) throws {
        let settings = try OctaviaSettings.parse("[DEFAULT]\ndebug = \(text)\n", path: "x.conf")
        #expect(settings.defaults.debug)
    }

    @Test(arguments: ["false", "False", "NO", "off", "0"])
    func boolSpellingsFalse(_ text: String) throws {
        let settings = try OctaviaSettings.parse("[api_settings]\nallow_sorting = \(text)\n", path: "x.conf")
        #expect(settings.api.allowSorting == false)
    }

    @Test func loadReadsFile() throws {
        // setup
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("octavia-\(UUID()).conf").path
        try "[api_settings]\nbind_port = 1234\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        // MUT
        let settings = try OctaviaSettings.load(path: path)

        // validate
        #expect(settings.api.bindPort == 1234)
    }

    @Test func loadOfMissingFileNamesIt() {
        let error = #expect(throws: ConfigError.self) {
            try OctaviaSettings.load(path: "/nonexistent/octavia.conf")
        }
        #expect(error?.description == "/nonexistent/octavia.conf: configuration file does not exist")
    }
}
