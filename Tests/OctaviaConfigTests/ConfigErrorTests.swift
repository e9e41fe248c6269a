import Testing

@testable import OctaviaConfig

/// Every kind of bad input names file, line, section and option.
@Suite struct ConfigErrorTests {
    static let path = "/etc/octavia/octavia.conf"

    func error(_ text: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try OctaviaSettings.parse(text, path: Self.path) }
    }

    @Test func badPort() {
        let text = "[DEFAULT]\ndebug = true\n\n[api_settings]\nbind_port = 99999\n"
        #expect(error(text)?.description
            == "/etc/octavia/octavia.conf:5: [api_settings] bind_port: '99999' is not a valid port (1-65535)")
    }

    @Test func unknownSection() {
        #expect(error("[DEFAULT]\n[foo]\nx = 1\n")?.description == "/etc/octavia/octavia.conf:2: unknown section [foo]")
    }

    @Test func unknownOption() {
        #expect(error("[api_settings]\nbind_prot = 9876\n")?.description
            == "/etc/octavia/octavia.conf:2: [api_settings] unknown option 'bind_prot'")
    }

    @Test func unknownOptionInLocalNetwork() {
        #expect(error("[local_network:a]\nvlan = 3\n")?.description
            == "/etc/octavia/octavia.conf:2: [local_network:a] unknown option 'vlan'")
    }

    @Test func badInt() {
        #expect(error("[controller_worker]\nworkers = many\n")?.description
            == "/etc/octavia/octavia.conf:2: [controller_worker] workers: 'many' is not an integer")
    }

    @Test func intBelowMinimum() {
        #expect(error("[controller_worker]\nworkers = 0\n")?.description
            == "/etc/octavia/octavia.conf:2: [controller_worker] workers: 0 is below the minimum 1")
    }

    @Test func badFloat() {
        #expect(error("[job_queue]\npoll_interval = soon\n")?.description
            == "/etc/octavia/octavia.conf:2: [job_queue] poll_interval: 'soon' is not a number")
    }

    @Test func badBool() {
        #expect(error("[DEFAULT]\ndebug = maybe\n")?.description
            == "/etc/octavia/octavia.conf:2: [DEFAULT] debug: 'maybe' is not a boolean (true/false, yes/no, on/off, 1/0)")
    }

    @Test func badEnumListsChoices() {
        #expect(error("[api_settings]\nauth_strategy = ldap\n")?.description
            == "/etc/octavia/octavia.conf:2: [api_settings] auth_strategy: 'ldap' is not one of keystone, noauth, testing")
        #expect(error("[controller_worker]\ncompute_driver = compute_nova_driver\n")?.description
            == "/etc/octavia/octavia.conf:2: [controller_worker] compute_driver: 'compute_nova_driver' is not one of "
            + "local_compute_driver, compute_noop_driver")
    }

    @Test func badPaginationLimit() {
        #expect(error("[api_settings]\npagination_max_limit = lots\n")?.description
            == "/etc/octavia/octavia.conf:2: [api_settings] pagination_max_limit: 'lots' is not a positive integer or 'infinite'")
    }

    @Test func badDict() {
        #expect(error("[api_settings]\nenabled_provider_drivers = amphora\n")?.description
            == "/etc/octavia/octavia.conf:2: [api_settings] enabled_provider_drivers: 'amphora' is not a 'key:value' pair")
    }

    @Test func defaultProviderMustBeEnabled() {
        #expect(error("[api_settings]\ndefault_provider_driver = ovn\n")?.description
            == "/etc/octavia/octavia.conf:2: [api_settings] default_provider_driver: 'ovn' is not in enabled_provider_drivers")
    }

    @Test func badHostPortList() {
        #expect(error("[health_manager]\ncontroller_ip_port_list = 127.0.0.1\n")?.description
            == "/etc/octavia/octavia.conf:2: [health_manager] controller_ip_port_list: '127.0.0.1' is not 'host:port'")
    }

    @Test func secretValueIsNotEchoed() {
        // heartbeat_key accepts any text, so use a validated option to show secrets are redacted in the DB URL.
        let message = error("[database]\nconnection = postgresql://octavia:hunter2@db:notaport/octavia\n")?.description
        #expect(message == "/etc/octavia/octavia.conf:2: [database] connection: "
            + "'postgresql://octavia:***@db:notaport/octavia' has an invalid port (1-65535)")
    }

    @Test func badDatabaseURL() {
        #expect(error("[database]\nconnection = mysql+pymysql://u:p@db/octavia\n")?.description
            == "/etc/octavia/octavia.conf:2: [database] connection: unsupported database scheme 'mysql+pymysql' "
            + "(use sqlite:// or postgresql://)")
        #expect(error("[database]\nconnection = /var/lib/octavia.db\n")?.description
            == "/etc/octavia/octavia.conf:2: [database] connection: '/var/lib/octavia.db' is not a database URL "
            + "(expected sqlite:// or postgresql://)")
    }

    @Test func caCertificateNeedsKey() {
        #expect(error("[certificates]\nca_certificate = /ca.pem\n")?.description
            == "/etc/octavia/octavia.conf:1: [certificates] ca_private_key: ca_certificate and ca_private_key must be set together")
    }

    @Test func malformedLine() {
        #expect(error("[DEFAULT]\njust words\n")?.description
            == "/etc/octavia/octavia.conf:2: expected 'key = value', got 'just words'")
    }

    @Test func optionOutsideSection() {
        #expect(error("debug = true\n")?.description
            == "/etc/octavia/octavia.conf:1: option outside of any section: 'debug = true'")
    }
}
