import Crypto
import Foundation

extension Insecure {
    /// Octavia's agent answers uploads with `ETag: md5(body)`; the controller compares it.
    static func md5Hex(_ text: String) -> String {
        MD5.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
