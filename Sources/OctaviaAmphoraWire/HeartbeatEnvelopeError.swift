/// Why a heartbeat datagram was rejected or could not be built. The receiver drops the packet and
/// logs; nothing here is fatal.
public enum HeartbeatEnvelopeError: Error, Equatable, Sendable {
    /// Zero-length datagram.
    case empty
    /// Larger than ``HeartbeatEnvelope/maxDatagramBytes`` (Octavia reads at most 64 KiB).
    case oversized(byteCount: Int)
    /// Too short to hold even the legacy 32-byte digest plus a payload.
    case tooShort(byteCount: Int)
    /// Neither the hex nor the legacy raw HMAC-SHA256 matched (wrong key, tampering, truncation).
    case invalidHMAC
    /// The authenticated payload is not a complete zlib stream.
    case corruptCompressedData
    /// The payload inflates past ``HeartbeatEnvelope/maxDecompressedBytes``.
    case decompressedTooLarge(limit: Int)
    /// The inflated payload is not a heartbeat JSON object.
    case invalidJSON(String)
    /// The message could not be serialised (for example a non-finite `recv_time`).
    case encodingFailed(String)
    /// zlib refused to compress (out of memory).
    case compressionFailed(code: Int32)
}
