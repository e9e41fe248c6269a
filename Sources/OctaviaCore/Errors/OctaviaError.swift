/// An error the API reports to its caller. The kind picks the HTTP status (mapped in one place,
/// in the API target); the message is Octavia's `faultstring`.
public struct OctaviaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, notAcceptable, conflict
        case unsupportedMediaType, payloadTooLarge, notImplemented, serviceUnavailable, internalError
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// `<Resource> <id> not found.`
    public static func notFound(_ resource: String, _ id: String) -> Self {
        Self(.notFound, "\(resource) \(id) not found.")
    }

    /// `<Resource> <id> is immutable and cannot be updated.` (409)
    public static func immutable(_ resource: String, _ id: String) -> Self {
        Self(.conflict, "\(resource) \(id) is immutable and cannot be updated.")
    }

    /// `Invalid state <S> of loadbalancer resource <id>` (409)
    public static func pendingState(_ status: ProvisioningStatus, _ id: LoadBalancer.ID) -> Self {
        Self(.conflict, "Invalid state \(status.rawValue) of loadbalancer resource \(id)")
    }

    /// WSME-style type error: `Invalid input for field/attribute <f>. Value: '<v>'. <reason>`
    public static func invalidInput(_ field: String, _ value: String, _ reason: String) -> Self {
        Self(.badRequest, "Invalid input for field/attribute \(field). Value: '\(value)'. \(reason)")
    }

    /// `Validation failure: <reason>`
    public static func validation(_ reason: String) -> Self {
        Self(.badRequest, "Validation failure: \(reason)")
    }
}
