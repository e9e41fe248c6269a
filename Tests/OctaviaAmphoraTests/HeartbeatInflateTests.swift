import Testing
@testable import OctaviaAmphoraWire

/// The inflate buffer starts at four times the input and doubles; outputs around and far past that
/// guess must come back whole.
@Suite("Heartbeat inflate")
struct HeartbeatInflateTests {
    @Test(arguments: [0, 1, 100, 4_000, 65_536, 1_000_000])
    func roundTripsAnySize(size: Int) throws {
        // Highly compressible (many doublings) and less so (few).
        for input in [[UInt8](repeating: 0x61, count: size), (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }] {
            let compressed = try HeartbeatZlib.compress(input, level: 9)
            #expect(try HeartbeatZlib.decompress(compressed[...], limit: size) == input)
            if size > 0 {
                #expect(throws: HeartbeatEnvelopeError.decompressedTooLarge(limit: size - 1)) {
                    try HeartbeatZlib.decompress(compressed[...], limit: size - 1)
                }
            }
        }
    }
}
