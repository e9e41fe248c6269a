import Foundation

/// The one "are we in CI" rule of this test target: `CI` set to true, 1 or yes (any case). Under CI a
/// missing prerequisite (HAProxy, root) fails the test; elsewhere the test is skipped, visibly.
enum TestEnvironment {
    static var isCI: Bool {
        guard let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() else { return false }
        return ["true", "1", "yes"].contains(value)
    }
}
