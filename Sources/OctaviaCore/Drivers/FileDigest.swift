import Foundation

/// MD5 and SHA-1 of file contents, for the amphora's TLS file protocol: the agent answers MD5s
/// (upload skipped when equal) and Octavia names CA/CRL files `<sha1(pem)>.pem`. Neither is a
/// security use. Written out here because the worker and the noop driver link no crypto library.
public enum FileDigest {
    /// Lowercase hex MD5 (RFC 1321).
    public static func md5Hex(_ text: String) -> String { hex(md5(Array(text.utf8))) }
    /// Lowercase hex SHA-1 (FIPS 180-4).
    public static func sha1Hex(_ text: String) -> String { hex(sha1(Array(text.utf8))) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] })
    }

    /// Pads to 64-byte blocks with the bit length appended (little- or big-endian).
    private static func padded(_ message: [UInt8], bigEndian: Bool) -> [UInt8] {
        var data = message
        let bits = UInt64(message.count) &* 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for index in 0..<8 {
            let shift = bigEndian ? UInt64(56 - 8 * index) : UInt64(8 * index)
            data.append(UInt8(truncatingIfNeeded: bits >> shift))
        }
        return data
    }

    private static let md5Shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                              5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let md5Constants: [UInt32] = (0..<64).map { index in
        UInt32(truncatingIfNeeded: Int64((abs(sin(Double(index + 1))) * 4_294_967_296.0).rounded(.down)))
    }

    static func md5(_ message: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        let data = padded(message, bigEndian: false)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            let words = (0..<16).map { index -> UInt32 in
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[chunk + index * 4 + $1]) << (8 * UInt32($1)) }
            }
            var (a, b, c, d) = (state[0], state[1], state[2], state[3])
            for round in 0..<64 {
                var f: UInt32
                let g: Int
                switch round {
                case 0..<16: f = (b & c) | (~b & d); g = round
                case 16..<32: f = (d & b) | (~d & c); g = (5 * round + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * round + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * round) % 16
                }
                f = f &+ a &+ md5Constants[round] &+ words[g]
                a = d; d = c; c = b
                b = b &+ rotateLeft(f, md5Shifts[round])
            }
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
    }

    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]
        let data = padded(message, bigEndian: true)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var words = (0..<16).map { index -> UInt32 in
                (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(data[chunk + index * 4 + $1]) }
            }
            for index in 16..<80 {
                words.append(rotateLeft(words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1))
            }
            var (a, b, c, d, e) = (state[0], state[1], state[2], state[3], state[4])
            for round in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch round {
                case 0..<20: ((b & c) | (~b & d), 0x5a82_7999)
                case 20..<40: (b ^ c ^ d, 0x6ed9_eba1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc)
                default: (b ^ c ^ d, 0xca62_c1d6)
                }
                let temporary = rotateLeft(a, 5) &+ f &+ e &+ k &+ words[round]
                e = d; d = c; c = rotateLeft(b, 30); b = a; a = temporary
            }
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d; state[4] &+= e
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    private static func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
