import Foundation
import OctaviaAmphoraWire
import Testing

/// Cross-implementation check against Octavia's own framing, reproduced line for line from
/// `octavia/amphorae/backends/health_daemon/status_message.py` with the Python standard library
/// (`jsonutils.dumps` is `json.dumps`; `secretutils.constant_time_compare` is `hmac.compare_digest`).
@Suite("Heartbeat envelope interop with Octavia's Python framing")
struct HeartbeatPythonInteropTests {
    static let python = "/usr/bin/python3"
    static var pythonInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    static let octaviaFraming = #"""
        import binascii, hashlib, hmac, json, sys, zlib

        def get_hmac(payload, key, hex=True):
            hmc = hmac.new(key.encode("utf-8"), payload, hashlib.sha256)
            return hmc.hexdigest().encode("utf-8") if hex else hmc.digest()

        def wrap_envelope(obj, key, hex=True):
            payload = zlib.compress(json.dumps(obj).encode("utf-8"), 9)
            return payload + get_hmac(payload, key, hex=hex)

        def get_payload(envelope, key, hex=True):
            n = 64 if hex else 32
            payload = envelope[:-n]
            expected_hmc = envelope[-n:]
            if not hmac.compare_digest(expected_hmc, get_hmac(payload, key, hex=hex)):
                raise ValueError("calculated hmac not equal to msg hmac, dropping packet")
            return json.loads(zlib.decompress(payload).decode("utf-8"))

        def unwrap_envelope(envelope, key):
            try:
                return get_payload(envelope, key, hex=True)
            except Exception:
                return get_payload(envelope, key, hex=False)

        mode, key, arg = sys.argv[1:4]
        if mode in ("wrap", "wrap-raw"):
            envelope = wrap_envelope(json.loads(arg), key, hex=(mode == "wrap"))
            sys.stdout.write(binascii.hexlify(envelope).decode())
        elif mode == "unwrap":
            obj = unwrap_envelope(binascii.unhexlify(arg), key)
            sys.stdout.write(json.dumps(obj, sort_keys=True))
        else:
            sys.exit("unknown mode " + mode)
        """#

    /// Insertion-ordered like `build_stats_message` builds it (id, seq, listeners, pools, ver).
    static let octaviaMessageJSON = """
        {"id": "4f7a0d8e-0b2c-4d55-9a1e-3c6f1b2a9d10", "seq": 67,
         "listeners": {"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": {"status": "OPEN",
             "stats": {"tx": 1234567, "rx": 7654321, "conns": 3, "totconns": 42, "ereq": 1}}},
         "pools": {"11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": {"status": "UP",
             "members": {"aaaaaaaa-0000-4000-8000-000000000001": "UP",
                         "aaaaaaaa-0000-4000-8000-000000000002": "no check"}}},
         "ver": 3}
        """

    struct PythonResult { var status: Int32; var stdout: String; var stderr: String }

    static func runOctaviaFraming(_ mode: String, key: String, _ argument: String) throws -> PythonResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", octaviaFraming, mode, key, argument]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return PythonResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(fromHex hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        try #require(digits.count.isMultiple(of: 2))
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16))
        }
    }

    static func requirePython() throws {
        try #require(pythonInstalled, "\(python) is required under CI=true")
    }

    @Test(.enabled(if: pythonInstalled || TestEnvironment.isCI, "\(python) not installed"))
    func pythonWrappedMessageUnwrapsInSwift() throws {
        try Self.requirePython()
        for mode in ["wrap", "wrap-raw"] {
            let result = try Self.runOctaviaFraming(mode, key: HeartbeatFixtures.key, Self.octaviaMessageJSON)
            try #require(result.status == 0, "python: \(result.stderr)")
            let envelope = try Self.bytes(fromHex: result.stdout)
            let message = try HeartbeatEnvelope.unwrap(envelope, key: HeartbeatFixtures.key)
            #expect(message.amphoraID == "4f7a0d8e-0b2c-4d55-9a1e-3c6f1b2a9d10")
            #expect(message.sequence == 67)
            #expect(message.version == 3)
            #expect(message.listeners["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"] == .init(
                status: .open, stats: .init(tx: 1_234_567, rx: 7_654_321, conns: 3, totconns: 42, ereq: 1)))
            let pool = message.pools["11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]
            #expect(pool == .init(status: .up, members: [
                "aaaaaaaa-0000-4000-8000-000000000001": .up, "aaaaaaaa-0000-4000-8000-000000000002": .noCheck,
            ]))
            #expect(throws: HeartbeatEnvelopeError.invalidHMAC) {
                try HeartbeatEnvelope.unwrap(envelope, key: "another-key")
            }
        }
    }

    @Test(.enabled(if: pythonInstalled || TestEnvironment.isCI, "\(python) not installed"))
    func swiftWrappedMessageUnwrapsInPython() throws {
        try Self.requirePython()
        var message = HeartbeatFixtures.message
        message.listeners["c0ffee00-0000-4000-8000-00000000beef"] = .init(
            status: "STOP", stats: .init(tx: Int64(Int32.max) * 4, rx: 1, conns: 0, totconns: 0, ereq: 0))
        for digest in [HeartbeatEnvelope.DigestForm.hex, .raw] {
            let envelope = try HeartbeatEnvelope.wrap(message, key: HeartbeatFixtures.key, digest: digest)
            let result = try Self.runOctaviaFraming("unwrap", key: HeartbeatFixtures.key, Self.hex(envelope))
            try #require(result.status == 0, "python: \(result.stderr)")
            // Python's view of the object, decoded back: nothing lost or renamed on the way.
            let seenByPython = try JSONDecoder().decode(HeartbeatMessage.self, from: Data(result.stdout.utf8))
            #expect(seenByPython == message)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["id", "seq", "ver", "listeners", "pools"])
        }
    }

    @Test(.enabled(if: pythonInstalled || TestEnvironment.isCI, "\(python) not installed"))
    func pythonRejectsSwiftMessageUnderAnotherKey() throws {
        try Self.requirePython()
        let envelope = try HeartbeatEnvelope.wrap(HeartbeatFixtures.message, key: HeartbeatFixtures.key)
        let result = try Self.runOctaviaFraming("unwrap", key: "another-key", Self.hex(envelope))
        #expect(result.status != 0)
        #expect(result.stderr.contains("hmac"))
    }
}
