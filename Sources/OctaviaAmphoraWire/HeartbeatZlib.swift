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
    /// the end of the stream are ignored.
    static func decompress(_ input: ArraySlice<UInt8>, limit: Int) throws(HeartbeatEnvelopeError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptCompressedData
        }
        defer { inflateEnd(&stream) }

        var source = Array(input)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let failure: HeartbeatEnvelopeError? = source.withUnsafeMutableBufferPointer { sourceBuffer in
            stream.next_in = sourceBuffer.baseAddress
            stream.avail_in = uInt(sourceBuffer.count)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    let code = inflate(&stream, Z_NO_FLUSH)
                    return (code, chunkBuffer.count - Int(stream.avail_out))
                }
                stream.next_out = nil
                output.append(contentsOf: chunk[..<produced])
                if output.count > limit { return .decompressedTooLarge(limit: limit) }
                switch code {
                case Z_STREAM_END:
                    return nil
                case Z_OK where stream.avail_in > 0 || stream.avail_out == 0:
                    continue // more input to consume or more output pending
                default:
                    // Z_OK with input exhausted, Z_BUF_ERROR: truncated; Z_DATA_ERROR, Z_NEED_DICT,
                    // Z_MEM_ERROR: not a usable stream.
                    return .corruptCompressedData
                }
            }
        }
        stream.next_in = nil
        if let failure { throw failure }
        return output
    }
}
