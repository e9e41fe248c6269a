import OctaviaAmphoraWire

/// Why a datagram was dropped; the metric dimension and the log reason.
public enum HeartbeatRejection: String, Sendable, CaseIterable {
    case empty, oversized, truncated, invalidHMAC = "invalid_hmac", corrupt, invalidJSON = "invalid_json"
    /// Authenticated, but no live amphora has that id.
    case unknownAmphora = "unknown_amphora"

    init(_ error: HeartbeatEnvelopeError) {
        switch error {
        case .empty: self = .empty
        case .oversized: self = .oversized
        case .tooShort: self = .truncated
        case .invalidHMAC: self = .invalidHMAC
        case .corruptCompressedData, .decompressedTooLarge, .compressionFailed: self = .corrupt
        case .invalidJSON, .encodingFailed: self = .invalidJSON
        }
    }
}
