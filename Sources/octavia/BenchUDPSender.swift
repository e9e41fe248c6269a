import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends pre-built heartbeat datagrams to a loopback UDP port at a fixed rate from its own thread
/// (blocking `sendto`, no event loop), cycling through the fleet so each amphora reports once per
/// `fleet / rate` seconds as a real one does once per heartbeat interval.
final class BenchUDPSender: @unchecked Sendable {
    /// What one paced run did.
    struct Run: Sendable {
        var sent: Int
        var failed: Int
        var start: Date
        var end: Date
        var offeredRate: Double
        /// Sent per second over the run: below the offered rate when the sender itself fell behind.
        var achievedRate: Double { Double(sent) / max(1e-9, end.timeIntervalSince(start)) }
    }

    private let datagrams: [[UInt8]]
    private let socket: Int32
    private var address = sockaddr_in()
    /// Index of the next amphora to report, kept across runs so every amphora reports in turn.
    private var next = 0

    init(datagrams: [[UInt8]], port: Int) throws {
        self.datagrams = datagrams
        socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw BenchError("socket() failed: errno \(errno)") }
        var size: Int32 = 4 * 1024 * 1024
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
    }

    deinit { close(socket) }

    /// Sends at `rate` datagrams per second for `seconds` on a dedicated thread.
    func run(rate: Double, seconds: Double) async -> Run {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.pace(rate: rate, seconds: seconds)) }
            thread.name = "bench-udp-sender"
            thread.start()
        }
    }

    /// Catches up with the schedule every 0.5 ms, so bursts stay small (at most rate/2000 datagrams).
    private func pace(rate: Double, seconds: Double) -> Run {
        let start = Date()
        var sent = 0, failed = 0
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= seconds { break }
            let due = Int(rate * elapsed)
            while sent < due {
                if send(datagrams[next]) { sent += 1 } else { failed += 1; sent += 1 }
                next = (next + 1) % datagrams.count
            }
            usleep(500)
        }
        return Run(sent: sent - failed, failed: failed, start: start, end: Date(), offeredRate: rate)
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(socket, buffer.baseAddress, buffer.count, 0, sa, socklen_t(MemoryLayout<sockaddr_in>.size)) == buffer.count
                }
            }
        }
    }
}

/// A benchmark set-up failure.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
