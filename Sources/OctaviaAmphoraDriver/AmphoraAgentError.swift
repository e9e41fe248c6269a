import OctaviaCore

/// A failed call to an amphora agent, with enough context to act on it.
///
/// Compared by code only (like Hummingbird's `PersistError`): `error == .rejected` matches any
/// rejection, while `details` carries e.g. HAProxy's validation output.
public struct AmphoraAgentError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidCredentials, invalidEndpoint, unreachable, rejected, unexpectedStatus, unsupportedAPIVersion
        case invalidResponse
    }

    private let code: Code
    public let amphoraID: Amphora.ID?
    /// The agent path called, empty when no request was made.
    public let path: String
    /// The HTTP status the agent answered, nil when it did not answer.
    public let status: Int?
    /// The agent's `message`, or why the agent could not be reached.
    public let message: String
    /// The agent's `details` (HAProxy's `-c` output for a rejected configuration).
    public let details: String?

    private init(_ code: Code, amphora: Amphora.ID? = nil, path: String = "", status: Int? = nil, message: String = "",
         details: String? = nil) {
        self.code = code; self.amphoraID = amphora; self.path = path; self.status = status
        self.message = message; self.details = details
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public var description: String {
        let what: String
        switch code {
        case .invalidCredentials: what = "invalid agent client credentials"
        case .invalidEndpoint: what = "no usable agent endpoint"
        case .unreachable: what = "amphora agent unreachable"
        case .rejected: what = "amphora agent rejected the request"
        case .unexpectedStatus: what = "unexpected amphora agent answer"
        case .unsupportedAPIVersion: what = "unsupported amphora agent API version"
        case .invalidResponse: what = "invalid amphora agent answer"
        }
        var parts = [what]
        if let amphoraID { parts.append("amphora \(amphoraID)") }
        if !path.isEmpty { parts.append("path \(path)") }
        if let status { parts.append("HTTP \(status)") }
        if !message.isEmpty { parts.append(message) }
        if let details, !details.isEmpty { parts.append("details: \(details)") }
        return parts.joined(separator: "; ")
    }

    public static let invalidCredentials = Self(.invalidCredentials)
    public static let invalidEndpoint = Self(.invalidEndpoint)
    public static let unreachable = Self(.unreachable)
    /// The agent answered 400: the request (e.g. the haproxy.cfg) is invalid.
    public static let rejected = Self(.rejected)
    public static let unexpectedStatus = Self(.unexpectedStatus)
    public static let unsupportedAPIVersion = Self(.unsupportedAPIVersion)
    public static let invalidResponse = Self(.invalidResponse)

    static func invalidCredentials(_ reason: String) -> Self { Self(.invalidCredentials, message: reason) }
    static func invalidEndpoint(_ amphora: Amphora.ID, _ reason: String) -> Self {
        Self(.invalidEndpoint, amphora: amphora, message: reason)
    }
    static func unreachable(_ amphora: Amphora.ID, path: String, lastFailure: String) -> Self {
        Self(.unreachable, amphora: amphora, path: path, message: lastFailure)
    }
    static func answered(_ amphora: Amphora.ID, path: String, status: Int, message: String, details: String?) -> Self {
        Self(status == 400 ? .rejected : .unexpectedStatus, amphora: amphora, path: path, status: status,
             message: message, details: details)
    }
    static func unsupportedAPIVersion(_ amphora: Amphora.ID, _ version: String) -> Self {
        Self(.unsupportedAPIVersion, amphora: amphora, path: "/", status: 200, message: "agent speaks \(version)")
    }
    static func invalidResponse(_ amphora: Amphora.ID, path: String, _ reason: String) -> Self {
        Self(.invalidResponse, amphora: amphora, path: path, message: reason)
    }
}
