import Foundation
import Hummingbird
import Logging
@testable import OctaviaAmphoraAgent
import OctaviaAmphoraWire
import Testing

/// A context the tests can create without a channel.
struct AgentTestContext: RequestContext {
    struct Source: RequestContextSource { var logger: Logger }
    var coreContext: CoreRequestContextStorage
    init(source: Source) { coreContext = .init(source: source) }
}

/// Collects a response body.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// The routes, driven through the router without sockets or TLS.
@Suite("Agent routes", .serialized)
struct AgentRouterTests {
    static let amphoraID = "6f0b3d2c-aaaa-4bbb-8ccc-000000000001"
    static let lbID = "3c9a0f4e-1b9e-4d8b-9a51-7f0c3f1d2a11"

    struct Harness {
        var base: String
        var handlers: AgentHandlers
        var recorded: CommandLog
        var responder: RouterResponder<AgentTestContext>

        init() throws {
            base = try AgentTestSupport.makeTempDirectory()
            let settings = AgentSettings(amphoraID: AgentRouterTests.amphoraID, basePath: base, haproxyCommand: AgentTestSupport.haproxy)
            let supervisor = HAProxySupervisor(settings: settings, logger: AgentTestSupport.logger)
            handlers = AgentHandlers(settings: settings, supervisor: supervisor, logger: AgentTestSupport.logger)
            // A fake /sys/class/net with one NIC, a fake /proc/sys, and `ip` recorded instead of run.
            let net = base + "/sys-class-net"
            try FileManager.default.createDirectory(atPath: net + "/eth1", withIntermediateDirectories: true)
            try "fa:16:3e:00:00:01\n".write(toFile: net + "/eth1/address", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: base + "/proc-sys/net/ipv4", withIntermediateDirectories: true)
            handlers.plugger.sysClassNet = net
            handlers.plugger.procSys = base + "/proc-sys"
            let log = CommandLog()
            recorded = log
            handlers.plugger.execute = { arguments in await log.append(arguments) }
            responder = buildAgentRouter(handlers, context: AgentTestContext.self).buildResponder()
        }

        func send(_ method: HTTPRequest.Method, _ path: String, body: String = "") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
            let request = Request(head: HTTPRequest(method: method, scheme: "https", authority: "amphora", path: path),
                                  body: RequestBody(buffer: ByteBuffer(string: body)))
            let context = AgentTestContext(source: .init(logger: AgentTestSupport.logger))
            let response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
            let collector = BodyCollector()
            try await response.body.write(collector)
            return (response.status, response.headers, String(decoding: collector.bytes, as: UTF8.self))
        }

        func json(_ text: String) throws -> [String: String] {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
            return object.compactMapValues { $0 as? String }
        }
    }

    actor CommandLog {
        var commands: [[String]] = []
        func append(_ command: [String]) { commands.append(command) }
    }

    @Test func discovery() async throws {
        let harness = try Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let root = try await harness.send(.get, "/")
        #expect(root.status == .ok)
        #expect(try harness.json(root.body) == ["api_version": "1.0"])
    }

    @Test(AgentTestSupport.needsHAProxy) func info() async throws {
        try AgentTestSupport.requireHAProxy()
        let harness = try Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let info = try await harness.send(.get, "/1.0/info")
        #expect(info.status == .ok)
        let decoded = try JSONDecoder().decode(AgentInfo.self, from: Data(info.body.utf8))
        #expect(decoded.apiVersion == "1.0")
        #expect(decoded.haproxyVersion.hasPrefix("2.") || decoded.haproxyVersion.hasPrefix("3."))
        #expect(info.body.contains("\"ipvsadm_version\":"))
    }

    @Test(AgentTestSupport.needsHAProxy) func configUploadRoutes() async throws {
        try AgentTestSupport.requireHAProxy()
        let harness = try Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let config = "global\n    maxconn 100\ndefaults\n    mode http\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\nfrontend fe\n    bind 127.0.0.1:1\n"

        // unknown load balancer
        let missing = try await harness.send(.get, "/1.0/loadbalancer/\(Self.lbID)/haproxy")
        #expect(missing.status == .notFound)
        #expect(try harness.json(missing.body)["message"] == "Loadbalancer Not Found")

        // wrong amphora, bad lb id
        let wrongAmphora = try await harness.send(.put, "/1.0/loadbalancer/other-amphora/\(Self.lbID)/haproxy", body: config)
        #expect(wrongAmphora.status == .badRequest)
        let badID = try await harness.send(.put, "/1.0/loadbalancer/\(Self.amphoraID)/..%2F..%2Fetc/haproxy", body: config)
        #expect(badID.status == .badRequest)

        // valid upload
        let put = try await harness.send(.put, "/1.0/loadbalancer/\(Self.amphoraID)/\(Self.lbID)/haproxy", body: config)
        #expect(put.status == .accepted)
        #expect(try harness.json(put.body) == ["message": "OK"])
        #expect(put.headers[.eTag] == Digest.md5Hex(Array(config.utf8)))
        let get = try await harness.send(.get, "/1.0/loadbalancer/\(Self.lbID)/haproxy")
        #expect(get.status == .ok)
        #expect(get.body == config)

        // invalid upload
        let invalid = try await harness.send(.put, "/1.0/loadbalancer/\(Self.amphoraID)/\(Self.lbID)/haproxy", body: config + "    nonsense here\n")
        #expect(invalid.status == .badRequest)
        let answer = try harness.json(invalid.body)
        #expect(answer["message"] == "Invalid request")
        #expect(answer["details"]?.isEmpty == false)
        #expect(try await harness.send(.get, "/1.0/loadbalancer/\(Self.lbID)/haproxy").body == config)

        // actions
        let bogus = try await harness.send(.put, "/1.0/loadbalancer/\(Self.lbID)/explode")
        #expect(bogus.status == .badRequest)
        let stop = try await harness.send(.put, "/1.0/loadbalancer/\(Self.lbID)/stop")
        #expect(stop.status == .accepted)
        #expect(try harness.json(stop.body)["message"] == "OK")

        // delete, twice, and for an unknown id
        #expect(try await harness.send(.delete, "/1.0/listeners/\(Self.lbID)").status == .ok)
        #expect(try await harness.send(.delete, "/1.0/listeners/\(Self.lbID)").status == .ok)
        #expect(!FileManager.default.fileExists(atPath: harness.base + "/" + Self.lbID))
        #expect(try await harness.send(.delete, "/1.0/listeners/not-a-uuid").status == .badRequest)
    }

    @Test func plugVIP() async throws {
        let harness = try Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let body = #"{"subnet_cidr":"10.0.0.0/24","gateway":"10.0.0.1","mac_address":"FA:16:3E:00:00:01","vrrp_ip":"10.0.0.5","mtu":1450,"host_routes":[],"is_sriov":false}"#
        // MUT twice: idempotent
        for _ in 0..<2 {
            let reply = try await harness.send(.post, "/1.0/plug/vip/10.0.0.100", body: body)
            #expect(reply.status == .accepted)
            #expect(try harness.json(reply.body) == ["message": "OK", "details": "VIP 10.0.0.100 plugged on interface eth1"])
        }
        let commands = await harness.recorded.commands
        #expect(commands.contains(["ip", "addr", "replace", "10.0.0.5/24", "dev", "eth1"]))
        #expect(commands.contains(["ip", "addr", "replace", "10.0.0.100/32", "dev", "eth1"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "eth1", "mtu", "1450"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "eth1", "up"]))
        #expect(try String(contentsOfFile: harness.base + "/proc-sys/net/ipv4/ip_nonlocal_bind", encoding: .utf8) == "1\n")

        // unknown MAC, bad JSON, bad VIP
        let unknown = body.replacingOccurrences(of: "FA:16:3E:00:00:01", with: "fa:16:3e:99:99:99")
        let notFound = try await harness.send(.post, "/1.0/plug/vip/10.0.0.100", body: unknown)
        #expect(notFound.status == .notFound)
        #expect(try harness.json(notFound.body) == ["message": "No suitable network interface found",
                                                    "details": "No suitable network interface found"])
        #expect(try await harness.send(.post, "/1.0/plug/vip/10.0.0.100", body: "{not json").status == .badRequest)
        #expect(try await harness.send(.post, "/1.0/plug/vip/10.0.0.999", body: body).status == .badRequest)
        #expect(try await harness.send(.post, "/1.0/plug/vip/fd00::5", body: body).status == .badRequest)
    }

    @Test func plugNetwork() async throws {
        let harness = try Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        let body = #"{"mac_address":"fa:16:3e:00:00:01","fixed_ips":[{"ip_address":"192.0.2.10","subnet_cidr":"192.0.2.0/26","gateway":null,"host_routes":[]}],"mtu":1500,"is_sriov":false}"#
        let reply = try await harness.send(.post, "/1.0/plug/network", body: body)
        #expect(reply.status == .accepted)
        let commands = await harness.recorded.commands
        #expect(commands.contains(["ip", "addr", "replace", "192.0.2.10/26", "dev", "eth1"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "eth1", "up"]))
        let other = body.replacingOccurrences(of: "fa:16:3e:00:00:01", with: "fa:16:3e:00:00:02")
        #expect(try await harness.send(.post, "/1.0/plug/network", body: other).status == .notFound)
        #expect(try await harness.send(.post, "/1.0/plug/network", body: "[]").status == .badRequest)
    }
}
