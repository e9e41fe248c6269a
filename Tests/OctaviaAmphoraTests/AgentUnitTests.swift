import Foundation
@testable import OctaviaAmphoraAgent
import Testing

/// Pure helpers: digests, settings parsing, `show proc` parsing, config rewriting.
@Suite struct AgentUnitTests {
    @Test func digests() {
        #expect(Digest.md5Hex(Array("".utf8)) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Digest.md5Hex(Array("The quick brown fox jumps over the lazy dog".utf8)) == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(Digest.hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let long = Array(String(repeating: "a", count: 1000).utf8)
        #expect(Digest.hex(Digest.sha1(long)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        #expect(Digest.md5Hex(long) == "cabe45dcc9ae5b66ba86600cca6b8ba8")
    }

    @Test func peerNameIsUnpaddedBase64OfTheAmphoraIDsSHA1() {
        let supervisor = HAProxySupervisor(basePath: "/nonexistent", haproxyCommand: "/bin/false",
                                           amphoraID: "6f0b3d2c-aaaa-4bbb-8ccc-000000000001", logger: AgentTestSupport.logger)
        // python3: base64.b64encode(hashlib.sha1(b"6f0b3d2c-...0001").digest()) == b"ya4rPy7LSmjhemXX3L4+f9dG8I8="
        #expect(supervisor.peerName == "ya4rPy7LSmjhemXX3L4+f9dG8I8")
    }

    @Test func parsesShowProc() throws {
        let text = """
        #<PID>          <type>          <reloads>       <uptime>        <version>
        24178           master          1 [failed: 2]   0d00h00m01s     2.6.12-1+deb12u4
        # workers
        24280           worker          0               0d00h00m01s     2.6.12-1+deb12u4
        # old workers
        24181           worker          1               0d00h00m02s     2.6.12-1+deb12u4
        # programs

        """
        let table = try #require(MasterProcessTable(text))
        #expect(table.masterPID == 24178)
        #expect(table.reloads == 1)
        #expect(table.failedReloads == 2)
        #expect(table.workerPIDs == [24280])
        #expect(MasterProcessTable("garbage") == nil)
    }

    @Test func settingsFromFile() throws {
        let text = """
        [DEFAULT]
        debug = False
        [haproxy_amphora]
        base_path = /tmp/base
        bind_port = 9444
        [amphora_agent]
        amphora_id = amp-1
        agent_server_cert = /c/server.pem
        agent_server_ca = /c/ca.pem
        [local_amphora]
        agent_socket = /run/amp.sock
        [controller_worker]
        loadbalancer_topology = ACTIVE_STANDBY
        """
        let path = NSTemporaryDirectory() + "/agent-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try AgentSettings(configFile: path)
        #expect(settings.amphoraID == "amp-1")
        #expect(settings.basePath == "/tmp/base")
        #expect(settings.bindPort == 9444)
        #expect(settings.bindHost == "::")
        #expect(settings.haproxyCommand == "/usr/sbin/haproxy")
        #expect(settings.serverCertificatePath == "/c/server.pem")
        #expect(settings.clientCAPath == "/c/ca.pem")
        #expect(settings.unixSocketPath == "/run/amp.sock")
        #expect(settings.pidFile == nil)
        #expect(settings.topology == .activeStandby)
    }

    @Test func unknownOptionNamesFileSectionAndOption() throws {
        let path = NSTemporaryDirectory() + "/agent-\(UUID().uuidString).conf"
        try "[amphora_agent]\namphora_id = a\nbogus_option = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try AgentSettings(configFile: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("[amphora_agent]") && text.contains("bogus_option")
        }
        try "[nonsense]\nx = 1\n[amphora_agent]\namphora_id = a\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try AgentSettings(configFile: path) } throws: { "\($0)".contains("[nonsense]") }
    }

    @Test func stripsGroupOnlyInGlobal() {
        let config = "global\n    group haproxy\n    maxconn 10\nuserlist u\n    group admins users bob\n"
        let stripped = HAProxySupervisor.strippingGlobalGroup(config)
        #expect(stripped == "global\n    maxconn 10\nuserlist u\n    group admins users bob\n")
    }

    @Test func findsBindAddressesAndInterfaces() {
        let config = "frontend a\n    bind 203.0.113.5:80\n    bind 203.0.113.5:443 ssl crt /x\nfrontend b\n    bind 0.0.0.0:81\n"
        #expect(HAProxySupervisor.bindAddresses(in: config) == ["203.0.113.5"])
        let ipOutput = "1: lo    inet 127.0.0.1/8 scope host lo\n3: eth1    inet 203.0.113.5/32 scope global eth1\n"
        #expect(HAProxySupervisor.interface(holding: "203.0.113.5", in: ipOutput) == "eth1")
    }

    @Test func versionParsing() {
        #expect(AgentInfoProvider.parseVersion("HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/", after: "version ") == "2.6.12-1+deb12u4")
        #expect(AgentInfoProvider.parseVersion("Keepalived v2.2.7 (01/16,2022)", after: "Keepalived v") == "2.2.7")
        #expect(AgentInfoProvider.parseVersion("nothing", after: "version ") == nil)
    }

    @Test func loadBalancerIDRejectsTraversal() {
        #expect(LoadBalancerID("../../etc/passwd") == nil)
        #expect(LoadBalancerID("3c9a0f4e-1b9e-4d8b-9a51-7f0c3f1d2a11") != nil)
        #expect(LoadBalancerID("3c9a0f4e-1b9e-4d8b-9a51-7f0c3f1d2a11/..") == nil)
    }
}
