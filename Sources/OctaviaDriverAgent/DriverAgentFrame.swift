import Foundation

/// octavia-lib's framing, both directions: the JSON's byte length in ASCII decimal, `\n`, then the JSON.
struct DriverAgentFrame {
    /// Largest request accepted; a status message for a big load balancer is far below this.
    static let maximumLength = 16 * 1024 * 1024

    enum Failure: Error, Equatable {
        case badLength
        case tooLarge
    }

    private var buffer: [UInt8] = []

    /// Adds received bytes; returns the payload once it is complete.
    mutating func append(_ bytes: some Sequence<UInt8>) throws(Failure) -> Data? {
        buffer.append(contentsOf: bytes)
        guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count > 20 { throw .badLength }
            return nil
        }
        let digits = buffer[..<newline]
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let length = Int(String(decoding: digits, as: UTF8.self))
        else { throw .badLength }
        guard length <= Self.maximumLength else { throw .tooLarge }
        let start = newline + 1
        guard buffer.count - start >= length else { return nil }
        return Data(buffer[start..<(start + length)])
    }

    /// Frames an answer.
    static func encode(_ payload: Data) -> [UInt8] {
        Array("\(payload.count)\n".utf8) + payload
    }
}
