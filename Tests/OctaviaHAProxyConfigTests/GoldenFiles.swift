import Foundation
import Testing

/// Reads golden files from the test bundle; with `OCTAVIA_UPDATE_GOLDEN=1` writes them into the
/// source tree instead (then rebuild so the bundle copy is current).
enum GoldenFiles {
    static var isUpdating: Bool { ProcessInfo.processInfo.environment["OCTAVIA_UPDATE_GOLDEN"] == "1" }

    /// `Tests/OctaviaHAProxyConfigTests/Golden` in the checkout.
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    static var bundleDirectory: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Golden", isDirectory: true)
    }

    static func fileName(_ name: String) -> String { "\(name).cfg" }

    static func read(_ name: String) throws -> String? {
        guard let url = bundleDirectory?.appendingPathComponent(fileName(name)),
              FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func write(_ text: String, name: String) throws {
        try FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
        try text.write(to: sourceDirectory.appendingPathComponent(fileName(name)), atomically: true, encoding: .utf8)
    }

    /// Names of the `.cfg` files shipped in the bundle.
    static func bundledNames() throws -> Set<String> {
        guard let directory = bundleDirectory else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return Set(files.filter { $0.hasSuffix(".cfg") }.map { String($0.dropLast(4)) })
    }
}
