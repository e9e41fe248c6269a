import CZlib

/// The zlib (RFC 1950) calls the heartbeat envelope needs, matching Python's `zlib.compress` /
/// `zlib.decompress`.
enum HeartbeatZlib {
    /// `zlib.compress(data, level)`: same window and memory settings, so the same stream format.
    static func compress(_ input: [UInt8], level: Int32) throws(HeartbeatEnvelopeError) -> [UInt8] {
        var outputLength = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(outputLength))
        let code = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                compress2(destination.baseAddress, &outputLength, source.baseAddress, uLong(source.count), level)
            }
        }
        guard code == Z_OK else { throw .compressionFailed(code: code) }
        output.removeSubrange(Int(outputLength)...)
        return output
    }

    /// `zlib.decompress(data)`, but bounded: stops with an error once the output passes `limit`
    /// bytes so a small datagram cannot inflate into a huge allocation. Like Python, bytes after
    /// the end of the stream are ignored. Inflates straight from the caller's bytes into the result
    /// (no input copy, no zeroed scratch buffer): a guess of four times the input, doubled when short.
    static func decompress(_ input: ArraySlice<UInt8>, limit: Int) throws(HeartbeatEnvelopeError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptCompressedData
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        // One byte over the limit is enough to tell that the limit was passed.
        var capacity = min(limit + 1, max(1024, input.count * 4))
        let failure: HeartbeatEnvelopeError? = input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            defer { stream.next_in = nil }
            while true {
                var code = Z_OK
                let previous = output
                output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                    let base = buffer.baseAddress!
                    previous.withUnsafeBufferPointer { old in
                        if let from = old.baseAddress { base.initialize(from: from, count: old.count) }
                    }
                    stream.next_out = base + previous.count
                    stream.avail_out = uInt(capacity - previous.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                    count = capacity - Int(stream.avail_out)
                    stream.next_out = nil
                }
                if output.count > limit { return .decompressedTooLarge(limit: limit) }
                switch code {
                case Z_STREAM_END:
                    return nil
                case Z_OK where stream.avail_in > 0 || output.count == capacity,
                     Z_BUF_ERROR where output.count == capacity:
                    capacity = min(limit + 1, capacity * 2) // output full: more room
                default:
                    // Z_OK with input exhausted, Z_BUF_ERROR: truncated; Z_DATA_ERROR, Z_NEED_DICT,
                    // Z_MEM_ERROR: not a usable stream.
                    return .corruptCompressedData
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
