import Crypto

/// MD5 for Octavia's `ETag` headers and SHA-1 for HAProxy peer names; neither is a security use.
enum Digest {
    static func md5Hex(_ bytes: [UInt8]) -> String { hex(Array(Insecure.MD5.hash(data: bytes))) }
    static func sha1(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.SHA1.hash(data: bytes)) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] })
    }
}
