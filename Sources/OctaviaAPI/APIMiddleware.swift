import Foundation
import Hummingbird
import Logging
import OctaviaCore

/// Runs around every route (and the not-found responder): gives each request its
/// `x-openstack-request-id`, enforces the JSON-only `Accept` rule (406) and turns every thrown
/// error into its HTTP response through ``APIError``. Requests are counted and timed by route,
/// method and final status through swift-metrics (Hummingbird's `MetricsMiddleware`; the
/// daemon's Prometheus registry serves them).
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HeaderName { HeaderName("x-openstack-request-id")! }
    let metrics = MetricsMiddleware<Context>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // Outermost, so the recorded status is the one the client gets.
        try await metrics.handle(request, context: context) { request, context in
            try await respond(request, context: context, next: next)
        }
    }

    func respond(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let requestID = "req-\(UUID().uuidString.lowercased())"
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            try Self.checkAccept(request)
            response = try await next(request, context)
        } catch {
            let apiError = APIError(classifying: error)
            if apiError.unexpected || apiError.status.code >= 500 {
                context.logger.error(
                    "\(request.method) \(request.uri.path) failed: \(String(reflecting: error))",
                    metadata: ["status": "\(apiError.status.code)"])
            } else {
                context.logger.debug("\(request.method) \(request.uri.path) → \(apiError.status.code): \(apiError.error.message)")
            }
            response = apiError.makeResponse(requestID: requestID)
        }
        response.headers[Self.requestIDHeader] = requestID
        return response
    }

    /// Octavia's content-type hook: an `Accept` that is present, not empty and does not admit
    /// `application/json` gets 406.
    static func checkAccept(_ request: Request) throws {
        guard let accept = request.headers[.accept]?.trimmingCharacters(in: .whitespaces), !accept.isEmpty else { return }
        let ranges = accept.split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        if ranges.contains(where: { $0 == "*/*" || $0 == "application/*" || $0 == "application/json" }) { return }
        throw OctaviaError(.notAcceptable, "Only content type application/json is accepted.")
    }
}

/// `HTTPField.Name` (HTTPTypes is not a direct dependency of this target).
typealias HeaderName = HTTPFields.Element.Name
