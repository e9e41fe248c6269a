import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads several pipes at once with `poll`, never blocking longer than asked, so the caller can
/// stop at a deadline even when a pipe never reaches EOF.
struct PipeStreams {
    private(set) var data: [Data]
    private var fds: [Int32]
    private var open: [Bool]

    init(_ fds: [Int32]) {
        self.fds = fds
        data = Array(repeating: Data(), count: fds.count)
        open = Array(repeating: true, count: fds.count)
    }

    var allClosed: Bool { !open.contains(true) }

    /// Waits up to `wait` for any pipe to be readable, then reads what is there (EOF closes the
    /// stream). Returns whether any bytes arrived.
    mutating func readAvailable(waitingUpTo wait: Duration) -> Bool {
        let indices = fds.indices.filter { open[$0] }
        guard !indices.isEmpty else { return false }
        var polls = indices.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
        let (seconds, attoseconds) = wait.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = poll(&polls, nfds_t(polls.count), milliseconds)
        guard ready > 0 else { return false }
        var sawData = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        for (slot, index) in indices.enumerated() where polls[slot].revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(fds[index], $0.baseAddress, $0.count) }
            if count > 0 {
                data[index].append(contentsOf: buffer[0..<count])
                sawData = true
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                open[index] = false
            }
        }
        return sawData
    }
}
