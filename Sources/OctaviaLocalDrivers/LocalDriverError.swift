/// An operator-facing failure of a local driver (bad configuration, missing binary, a command that failed).
/// Caller mistakes (unknown subnet, address in use) are ``OctaviaCore/OctaviaError`` instead, so the API maps them.
public struct LocalDriverError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
