import CZlib
import Crypto
import Foundation
import OctaviaAmphoraWire
import Testing

@Suite("Heartbeat envelope")
struct HeartbeatEnvelopeTests {
    let key = HeartbeatFixtures.key
    let message = HeartbeatFixtures.message

    /// Builds an envelope around arbitrary payload bytes, signed as Octavia signs (hex HMAC).
    func signed(_ payload: [UInt8], key: String = HeartbeatFixtures.key) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: Array(key.utf8)))
        let hex = code.map { String(format: "%02x", $0) }.joined()
        return payload + Array(hex.utf8)
    }

    func compressed(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let code = compress2(&out, &length, bytes, uLong(bytes.count), 9)
        precondition(code == Z_OK)
        return Array(out[..<Int(length)])
    }

    @Test func roundTrip() throws {
        let envelope = try HeartbeatEnvelope.wrap(message, key: key)
        // zlib header for level 9 (0x78 0xDA) and a 64-byte lowercase hex trailer.
        #expect(Array(envelope.prefix(2)) == [0x78, 0xDA])
        let trailer = String(decoding: envelope.suffix(64), as: UTF8.self)
        #expect(trailer.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try HeartbeatEnvelope.unwrap(envelope, key: key) == message)
    }

    @Test func legacyRawDigestIsAccepted() throws {
        let envelope = try HeartbeatEnvelope.wrap(message, key: key, digest: .raw)
        #expect(try HeartbeatEnvelope.unwrap(envelope, key: key) == message)
    }

    @Test func wrongKeyIsRejected() throws {
        for digest in [HeartbeatEnvelope.DigestForm.hex, .raw] {
            let envelope = try HeartbeatEnvelope.wrap(message, key: key, digest: digest)
            #expect(throws: HeartbeatEnvelopeError.invalidHMAC) {
                try HeartbeatEnvelope.unwrap(envelope, key: "another-key")
            }
        }
    }

    @Test func uppercaseHexTrailerIsRejected() throws {
        // Octavia compares the trailer bytes with its lowercase hexdigest, so case matters.
        let envelope = try HeartbeatEnvelope.wrap(message, key: key)
        let upper = Array(envelope.dropLast(64)) + Array(String(decoding: envelope.suffix(64), as: UTF8.self).uppercased().utf8)
        #expect(throws: HeartbeatEnvelopeError.invalidHMAC) { try HeartbeatEnvelope.unwrap(upper, key: key) }
    }

    @Test func emptyIsRejected() {
        #expect(throws: HeartbeatEnvelopeError.empty) { try HeartbeatEnvelope.unwrap([], key: key) }
    }

    @Test func tooShortIsRejected() {
        #expect(throws: HeartbeatEnvelopeError.tooShort(byteCount: 32)) {
            try HeartbeatEnvelope.unwrap([UInt8](repeating: 0x61, count: 32), key: key)
        }
    }

    @Test func oversizedIsRejected() throws {
        let huge = signed(compressed([UInt8](repeating: 0x20, count: 10))) + [UInt8](repeating: 0, count: 70_000)
        #expect(throws: HeartbeatEnvelopeError.oversized(byteCount: huge.count)) {
            try HeartbeatEnvelope.unwrap(huge, key: key)
        }
    }

    @Test func truncatedDatagramIsRejected() throws {
        let envelope = try HeartbeatEnvelope.wrap(message, key: key)
        for cut in [1, 10, 63, 64, 65, envelope.count / 2, envelope.count - 33] {
            #expect(throws: HeartbeatEnvelopeError.self) {
                try HeartbeatEnvelope.unwrap(Array(envelope.dropLast(cut)), key: key)
            }
            #expect(throws: HeartbeatEnvelopeError.self) {
                try HeartbeatEnvelope.unwrap(Array(envelope.dropFirst(cut)), key: key)
            }
        }
    }

    @Test func truncatedStreamWithValidHMACIsRejected() throws {
        let stream = compressed(Array(try JSONEncoder().encode(message)))
        #expect(throws: HeartbeatEnvelopeError.corruptCompressedData) {
            try HeartbeatEnvelope.unwrap(signed(Array(stream.dropLast(8))), key: key)
        }
    }

    @Test func garbageIsRejected() {
        var generator = SystemRandomNumberGenerator()
        for length in [33, 64, 65, 96, 500, 4096] {
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: HeartbeatEnvelopeError.invalidHMAC) { try HeartbeatEnvelope.unwrap(garbage, key: key) }
        }
    }

    @Test func signedGarbageIsRejected() {
        #expect(throws: HeartbeatEnvelopeError.corruptCompressedData) {
            try HeartbeatEnvelope.unwrap(signed(Array("not zlib at all".utf8)), key: key)
        }
        #expect(throws: HeartbeatEnvelopeError.self) {
            try HeartbeatEnvelope.unwrap(signed(compressed(Array("[1, 2, 3]".utf8))), key: key)
        }
        #expect(throws: HeartbeatEnvelopeError.self) {
            try HeartbeatEnvelope.unwrap(signed(compressed(Array("{\"id\": 7}".utf8))), key: key)
        }
        #expect(throws: HeartbeatEnvelopeError.self) {
            try HeartbeatEnvelope.unwrap(signed(compressed([0xff, 0xfe, 0x00])), key: key)
        }
    }

    @Test func decompressionBombIsRejected() {
        let bomb = signed(compressed([UInt8](repeating: 0x20, count: HeartbeatEnvelope.maxDecompressedBytes + 1)))
        #expect(bomb.count <= HeartbeatEnvelope.maxDatagramBytes)
        #expect(throws: HeartbeatEnvelopeError.decompressedTooLarge(limit: HeartbeatEnvelope.maxDecompressedBytes)) {
            try HeartbeatEnvelope.unwrap(bomb, key: key)
        }
    }

    @Test func bitFlipsNeverCrash() throws {
        let envelope = try HeartbeatEnvelope.wrap(message, key: key)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var mutated = envelope
            let index = Int.random(in: 0..<mutated.count, using: &generator)
            mutated[index] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: HeartbeatEnvelopeError.self) { try HeartbeatEnvelope.unwrap(mutated, key: key) }
        }
    }
}
