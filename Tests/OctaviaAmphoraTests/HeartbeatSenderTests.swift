import Foundation
import OctaviaAmphoraWire
import OctaviaConfig
import Testing
@testable import OctaviaAmphoraAgent

@Suite("Heartbeat sender")
struct HeartbeatSenderTests {
    static let lb = "3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c"
    static let listener = "b1c2d3e4-0000-4000-8000-000000000001"
    static let pool = "c1c2d3e4-0000-4000-8000-000000000002"
    static let m1 = "d1c2d3e4-0000-4000-8000-000000000003"
    static let m2 = "d1c2d3e4-0000-4000-8000-000000000004"
    static let m3 = "d1c2d3e4-0000-4000-8000-000000000005"

    static func csv(bin: Int, stot: Int, scur: Int = 2) -> String {
        """
        # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act
        \(listener),FRONTEND,,,\(scur),5,100,\(stot),\(bin),\(bin * 2),0,0,1,,,,,OPEN,,
        \(pool):\(listener),\(m1),0,0,0,1,,3,100,200,,0,,0,0,0,0,UP,1,1
        \(pool):\(listener),\(m2),0,0,0,1,,3,100,200,,0,,0,0,0,0,DOWN 1/2,1,1
        \(pool):\(listener),\(m3),0,0,0,1,,3,100,200,,0,,0,0,0,0,UP,0,1
        \(pool):\(listener),BACKEND,0,0,0,1,,3,100,200,0,0,,0,0,0,0,UP,2,2
        prometheus-exporter,FRONTEND,,,0,0,100,0,0,0,0,0,0,,,,,OPEN,,

        """
    }

    @Test func buildsVersion3MessageWithDeltas() {
        var counters: [String: HeartbeatMessageBuilder.Counters] = [:]
        let first = HeartbeatMessageBuilder.message(amphoraID: "amp", rows: HAProxyStatRow.parse(Self.csv(bin: 100, stot: 10)),
                                                    sequence: 0, previous: &counters)
        #expect(first.version == 3)
        #expect(first.listeners.count == 1)
        #expect(first.listeners[Self.listener]?.status == .open)
        #expect(first.listeners[Self.listener]?.stats == .init(tx: 200, rx: 100, conns: 2, totconns: 10, ereq: 1))
        let pool = first.pools["\(Self.pool):\(Self.listener)"]
        #expect(pool?.status == .up)
        #expect(pool?.members == [Self.m1: .up, Self.m2: "DOWN 1/2", Self.m3: .drain])

        let second = HeartbeatMessageBuilder.message(amphoraID: "amp", rows: HAProxyStatRow.parse(Self.csv(bin: 150, stot: 12, scur: 7)),
                                                     sequence: 1, previous: &counters)
        #expect(second.listeners[Self.listener]?.stats == .init(tx: 100, rx: 50, conns: 7, totconns: 2, ereq: 0))
        // HAProxy restarted: counters went down, so the current values are the delta.
        let third = HeartbeatMessageBuilder.message(amphoraID: "amp", rows: HAProxyStatRow.parse(Self.csv(bin: 5, stot: 1)),
                                                    sequence: 2, previous: &counters)
        #expect(third.listeners[Self.listener]?.stats.rx == 5)
        #expect(third.listeners[Self.listener]?.stats.totconns == 1)
    }

    @Test func countersPersistAcrossBuilders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hb-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = HeartbeatMessageBuilder(amphoraID: "a", basePath: dir).build(rows: HAProxyStatRow.parse(Self.csv(bin: 100, stot: 10)), sequence: 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/stats_counters.json"))
        let next = HeartbeatMessageBuilder(amphoraID: "a", basePath: dir).build(rows: HAProxyStatRow.parse(Self.csv(bin: 130, stot: 10)), sequence: 1)
        #expect(next.listeners[Self.listener]?.stats.rx == 30)
    }

    @Test func settingsAndDestinations() throws {
        let ini = try INIFile.parse("""
            [health_manager]
            heartbeat_key = k
            heartbeat_interval = 3
            controller_ip_port_list = 127.0.0.1:5555, [::1]:5556, unix:/run/hb.sock
            """, path: "agent.conf")
        let settings = try #require(try HeartbeatSenderSettings.parse(ini))
        #expect(settings.interval == .seconds(3))
        #expect(settings.destinations == [.udp(host: "127.0.0.1", port: 5555), .udp(host: "::1", port: 5556), .unix(path: "/run/hb.sock")])
        #expect(HeartbeatDestination("nohost") == nil)
        let none = try HeartbeatSenderSettings.parse(INIFile.parse("[health_manager]\nheartbeat_key = k\n", path: "a"))
        #expect(none == nil)
    }

    @Test func datagramReachesAUnixSocketAndVerifies() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hb-\(UUID().uuidString.prefix(8)).sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let message = HeartbeatMessage(amphoraID: "amp", sequence: 4)
        let datagram = try HeartbeatEnvelope.wrap(message, key: "k")
        #expect(DatagramSocket.send(datagram, to: .unix(path: path)) == 0)
        var buffer = [UInt8](repeating: 0, count: 70_000)
        let n = recv(fd, &buffer, buffer.count, 0)
        #expect(try HeartbeatEnvelope.unwrap(Array(buffer[..<n]), key: "k") == message)
    }
}
