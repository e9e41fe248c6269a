import Foundation
import Logging
import OctaviaCore
@testable import OctaviaDriverAgent
import ServiceLifecycle
import Testing

/// The driver agent's real Unix sockets, spoken to the way octavia-lib's `DriverLibrary._send` does.
@Suite struct DriverAgentSocketTests {
    @Test func statusStatsAndGetThroughTheSockets() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("da-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await ServicesFixture.with { f in
            let settings = DriverAgent.Settings(statusSocketPath: dir + "/status.sock", statsSocketPath: dir + "/stats.sock",
                                                getSocketPath: dir + "/get.sock", requestTimeout: .seconds(2))
            let agent = DriverAgent(store: f.store, settings: settings, logger: Logger(label: "t"))
            let group = ServiceGroup(configuration: .init(services: [agent], logger: Logger(label: "t")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                defer { tasks.cancelAll() }
                try await waitForSockets([settings.statusSocketPath, settings.statsSocketPath, settings.getSocketPath])

                let status = try send(settings.statusSocketPath, #"{"loadbalancers": [{"id": "\#(f.lb.id)", "provisioning_status": "ACTIVE", "operating_status": "ONLINE"}]}"#)
                #expect(status["status_code"] as? Int == 200)
                let stats = try send(settings.statsSocketPath, #"{"listeners": [{"id": "\#(f.listener.id)", "bytes_in": 5, "bytes_out": 6, "active_connections": 0, "total_connections": 3, "request_errors": 0}]}"#)
                #expect(stats["status_code"] as? Int == 200)
                let got = try send(settings.getSocketPath, #"{"object": "loadbalancers", "id": "\#(f.lb.id)"}"#)
                #expect(got["loadbalancer_id"] as? String == f.lb.id.rawValue)
                #expect(try await f.store.reader.fetch(LoadBalancer.self, id: f.lb.id)?.operatingStatus == .online)

                // A client that sends half a request and stalls is cut off; the agent keeps serving.
                let stalled = try connect(settings.getSocketPath)
                _ = "10\n{".withCString { write(stalled, $0, 3) }
                let again = try send(settings.getSocketPath, #"{"object": "listeners", "id": "\#(f.listener.id)"}"#)
                #expect(again["listener_id"] as? String == f.listener.id.rawValue)
                close(stalled)

                await group.triggerGracefulShutdown()
                try await tasks.next()
            }
            #expect(!FileManager.default.fileExists(atPath: settings.statusSocketPath))
        }
    }

    func waitForSockets(_ paths: [String]) async throws {
        for _ in 0..<200 where !paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    struct SocketError: Error { var what: String }

    func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(what: "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { close(fd); throw SocketError(what: "connect \(path)") }
        return fd
    }

    /// `<len>\n<json>` out, `<len>\n<json>` back, as octavia-lib frames it.
    func send(_ path: String, _ json: String) throws -> [String: Any] {
        let fd = try connect(path)
        defer { close(fd) }
        let frame = Array("\(json.utf8.count)\n\(json)".utf8)
        _ = frame.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += buffer[..<n]
        }
        guard let newline = received.firstIndex(of: UInt8(ascii: "\n")),
              let length = Int(String(decoding: received[..<newline], as: UTF8.self)),
              received.count - newline - 1 == length
        else { throw SocketError(what: "bad frame \(String(decoding: received, as: UTF8.self))") }
        return try JSONSerialization.jsonObject(with: Data(received[(newline + 1)...])) as? [String: Any] ?? [:]
    }
}
