import Crypto
/// MAC addresses for local ports: always locally administered unicast (`02:…`), so they never collide
/// with a vendor address.
public enum MACAddress {
    /// A MAC that depends only on `seed`: the VIP NIC of a rebuilt amphora gets the same MAC, so clients'
    /// ARP caches stay valid (a new MAC without GARP black-holes the VIP for 8–40 s, dataplane.md).
    public static func derived(from seed: String) -> String {
        format([0x02] + Array(SHA256.hash(data: Array(seed.utf8))).prefix(5))
    }

    /// A random locally administered unicast MAC, for member-network NICs.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return randomWith(&generator)
    }

    static func randomWith(_ generator: inout some RandomNumberGenerator) -> String {
        format([0x02] + (0..<5).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// True for a unicast (bit 0 clear), locally administered (bit 1 set) `xx:xx:xx:xx:xx:xx`.
    public static func isLocallyAdministeredUnicast(_ mac: String) -> Bool {
        let parts = mac.split(separator: ":")
        guard parts.count == 6, parts.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }),
              let first = UInt8(parts[0], radix: 16) else { return false }
        return first & 0x01 == 0 && first & 0x02 != 0
    }

    private static func format(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
