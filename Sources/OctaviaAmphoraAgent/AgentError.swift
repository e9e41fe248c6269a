import Foundation
import Hummingbird
import OctaviaAmphoraWire

/// An agent failure with the HTTP status and Octavia's `{"message", "details"}` body.
public struct AgentError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var details: String?

    public init(_ status: HTTPResponse.Status, _ message: String, details: String? = nil) {
        self.status = status; self.message = message; self.details = details
    }

    public var description: String { "\(status.code) \(message)\(details.map { ": \($0)" } ?? "")" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try AgentReply.json(AgentMessage(message: message, details: details), status: status)
    }

    static func invalid(_ details: String) -> AgentError { AgentError(.badRequest, "Invalid request", details: details) }
    static let loadBalancerNotFound = AgentError(.notFound, "Loadbalancer Not Found",
                                                 details: "No loadbalancer with that UUID found.")
    static let noInterface = AgentError(.notFound, "No suitable network interface found",
                                        details: "No suitable network interface found")
}

/// Builds JSON responses the way the Python agent does (snake_case keys come from the DTOs).
enum AgentReply {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data = try JSONEncoder().encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
