import Foundation
import Hummingbird
import Logging
import OctaviaCore

/// The single place where errors become HTTP responses.
///
/// Every error that leaves a handler passes through ``APIMiddleware``, which calls
/// ``APIError/init(classifying:)`` to classify it: ``OctaviaError`` keeps its kind, Hummingbird's
/// `HTTPError` keeps its status, anything else is a 500 `Server` fault (and is logged loudly).
struct APIError: HTTPResponseError {
    /// Which error body to render.
    enum Style: Sendable {
        /// WSME: `{"faultcode","faultstring","debuginfo"}`.
        case octavia
        /// Neutron: `{"NeutronError":{"type","message","detail"}}` for the Neutron look-up routes.
        case neutron(type: String)
    }

    var error: OctaviaError
    var style: Style = .octavia
    /// True when the cause was not an error we raised on purpose.
    var unexpected = false

    init(_ error: OctaviaError, style: Style = .octavia) {
        self.error = error
        self.style = style
    }

    /// Classifies any thrown error.
    init(classifying any: any Error) {
        switch any {
        case let api as APIError:
            self = api
        case let octavia as OctaviaError:
            self.init(octavia, style: .octavia)
        case let http as HTTPError:
            self.init(OctaviaError(Self.kind(for: http.status), http.body ?? Self.defaultMessage(http.status)), style: .octavia)
        default:
            self.init(OctaviaError(.internalError, "An unknown exception occurred."), style: .octavia)
            unexpected = true
        }
    }

    var status: HTTPResponse.Status { Self.status(for: error.kind) }

    static func status(for kind: OctaviaError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .notAcceptable: return .notAcceptable
        case .conflict: return .conflict
        case .unsupportedMediaType: return .unsupportedMediaType
        case .payloadTooLarge: return .contentTooLarge
        case .notImplemented: return .notImplemented
        case .serviceUnavailable: return .serviceUnavailable
        case .internalError: return .internalServerError
        }
    }

    static func kind(for status: HTTPResponse.Status) -> OctaviaError.Kind {
        switch status.code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 413: return .payloadTooLarge
        case 415: return .unsupportedMediaType
        case 501: return .notImplemented
        case 503: return .serviceUnavailable
        case 400..<500: return .badRequest
        default: return .internalError
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "The resource could not be found."
        case 405: return "The method is not allowed for the requested URL."
        case 413: return "Request entity too large."
        default: return status.reasonPhrase
        }
    }

    /// The body, by style; 406 uses the `errors` shape Octavia's content-type check returns.
    func body(requestID: String) -> JSONValue {
        if error.kind == .notAcceptable {
            return ["errors": [[
                "status": 406, "title": "Not Acceptable", "detail": .string(error.message),
                "request_id": .string(requestID),
            ]]]
        }
        switch style {
        case .octavia:
            let code = status.code >= 500 ? "Server" : "Client"
            return ["faultcode": .string(code), "faultstring": .string(error.message), "debuginfo": nil]
        case .neutron(let type):
            return ["NeutronError": ["type": .string(type), "message": .string(error.message), "detail": ""]]
        }
    }

    func makeResponse(requestID: String) -> Response {
        JSONResponse.make(status: status, body: body(requestID: requestID))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse(requestID: "req-\(UUID().uuidString.lowercased())")
    }
}

/// Builds JSON responses.
enum JSONResponse {
    static func make(status: HTTPResponse.Status, body: JSONValue?) -> Response {
        guard let body else { return Response(status: status) }
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(data: body.encoded()))
        )
    }
}
