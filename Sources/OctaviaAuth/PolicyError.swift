/// Why a policy set cannot be used; reported at start-up, never per request.
public struct PolicyError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
