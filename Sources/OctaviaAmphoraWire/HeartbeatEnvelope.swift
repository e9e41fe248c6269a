import Crypto
import Foundation

/// Octavia's heartbeat datagram framing (`status_message.wrap_envelope` / `unwrap_envelope`):
///
///     datagram = zlib.compress(json_utf8, 9) || HMAC
///     HMAC     = lowercase hex HMAC-SHA256(key: heartbeat_key UTF-8, msg: compressed bytes)  (64 bytes)
///
/// Receivers also accept the legacy form whose trailer is the 32-byte raw digest, so amphorae built
/// before the hex change keep reporting.
public enum HeartbeatEnvelope {
    /// Octavia's receiver reads at most this much per datagram (`UDP_MAX_SIZE`).
    public static let maxDatagramBytes = 64 * 1024
    /// Bound on the inflated JSON; a real heartbeat of a large load balancer is far below it.
    public static let maxDecompressedBytes = 4 * 1024 * 1024
    /// Compression level Octavia's sender uses.
    public static let compressionLevel: Int32 = 9

    /// How the HMAC trailer is written.
    public enum DigestForm: Sendable {
        /// 64 lowercase hex ASCII bytes: what current amphorae send.
        case hex
        /// 32 raw digest bytes: the pre-hex legacy form, only accepted, sent only for tests.
        case raw

        var length: Int { self == .hex ? 64 : 32 }
    }

    /// Serialises, compresses and signs `message` as an amphora does.
    public static func wrap(_ message: HeartbeatMessage, key: String,
                            digest: DigestForm = .hex) throws(HeartbeatEnvelopeError) -> [UInt8] {
        let json: [UInt8]
        do {
            json = Array(try JSONEncoder().encode(message))
        } catch {
            throw .encodingFailed(String(describing: error))
        }
        return try wrap(json: json, key: key, digest: digest)
    }

    /// Frames already-serialised JSON bytes (for senders that build the JSON themselves).
    public static func wrap(json: [UInt8], key: String,
                            digest: DigestForm = .hex) throws(HeartbeatEnvelopeError) -> [UInt8] {
        let payload = try HeartbeatZlib.compress(json, level: compressionLevel)
        return payload + authenticationTag(for: payload[...], key: key, form: digest)
    }

    /// Checks, inflates and decodes one datagram as Octavia's receiver does: hex trailer first,
    /// then the legacy raw trailer. Throws ``HeartbeatEnvelopeError`` for anything else.
    public static func unwrap(_ bytes: [UInt8], key: String) throws(HeartbeatEnvelopeError) -> HeartbeatMessage {
        let json = try unwrapJSON(bytes, key: key)
        do {
            return try JSONDecoder().decode(HeartbeatMessage.self, from: Data(json))
        } catch {
            throw .invalidJSON(String(describing: error))
        }
    }

    /// The authenticated, inflated JSON bytes of one datagram, without decoding them.
    public static func unwrapJSON(_ bytes: [UInt8], key: String) throws(HeartbeatEnvelopeError) -> [UInt8] {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maxDatagramBytes else { throw .oversized(byteCount: bytes.count) }
        guard bytes.count > DigestForm.raw.length else { throw .tooShort(byteCount: bytes.count) }

        // Octavia falls back to the raw form on any failure of the hex attempt, including a payload
        // that authenticates but does not inflate; the first meaningful error is kept for the caller.
        var firstFailure = HeartbeatEnvelopeError.invalidHMAC
        for form in [DigestForm.hex, .raw] {
            guard let payload = authenticatedPayload(bytes, key: key, form: form) else { continue }
            do {
                return try HeartbeatZlib.decompress(payload, limit: maxDecompressedBytes)
            } catch {
                if firstFailure == .invalidHMAC { firstFailure = error }
            }
        }
        throw firstFailure
    }

    /// The payload in front of a trailer of `form` when the trailer matches, else nil.
    static func authenticatedPayload(_ bytes: [UInt8], key: String, form: DigestForm) -> ArraySlice<UInt8>? {
        guard bytes.count > form.length else { return nil }
        let split = bytes.count - form.length
        let payload = bytes[..<split]
        let expected = authenticationTag(for: payload, key: key, form: form)
        return constantTimeEqual(expected, bytes[split...]) ? payload : nil
    }

    static func authenticationTag(for payload: ArraySlice<UInt8>, key: String, form: DigestForm) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: Array(key.utf8)))
        let digest = Array(code)
        switch form {
        case .raw: return digest
        case .hex: return Array(hex(digest).utf8)
        }
    }

    /// Lowercase hex, as Python's `hexdigest()` / `binascii.hexlify` writes it.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Length-then-content comparison whose time does not depend on where the bytes differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: ArraySlice<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
