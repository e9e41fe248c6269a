import OctaviaAmphoraWire

/// A heartbeat as the processor's decode stage hands it over. Most of a heartbeat is its `pools`
/// section (every member's status), and in a steady fleet an amphora sends the same section
/// interval after interval; when it is byte-identical to the last one decoded for that amphora, it
/// is kept as bytes (``rawPools``) and decoded only if the status rules need it after all.
struct DecodedHeartbeat: Sendable {
    /// The message; `pools` is empty while ``poolsDecoded`` is false.
    var message: HeartbeatMessage
    /// The `pools` value as sent, when the fast decoder read the message and it had one.
    var rawPools: ArraySlice<UInt8>?
    /// Whether `message.pools` holds the pools.
    var poolsDecoded: Bool

    /// A message decoded in full (JSONDecoder, or no `pools` section).
    init(_ message: HeartbeatMessage) {
        self.message = message; rawPools = nil; poolsDecoded = true
    }

    init(message: HeartbeatMessage, rawPools: ArraySlice<UInt8>, poolsDecoded: Bool) {
        self.message = message; self.rawPools = rawPools; self.poolsDecoded = poolsDecoded
    }

    /// The message with its pools.
    var fullMessage: HeartbeatMessage {
        guard !poolsDecoded, let rawPools else { return message }
        var full = message
        // These bytes decoded before (see KnownPoolSections), and decoding is deterministic.
        let pools = HeartbeatFastDecoder.pools(rawPools)
        assert(pools != nil, "a known pools section no longer decodes")
        full.pools = pools ?? [:]
        return full
    }
}
