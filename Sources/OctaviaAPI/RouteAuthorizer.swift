import Foundation
import Hummingbird
import OctaviaAuth
import OctaviaCore

/// Octavia's `_auth_validate_action` / `_auth_get_all` applied in front of every handler, from
/// the route's ``RoutePolicy``. Returns the request to hand on: list requests of callers who may
/// not see other projects get a `project_id` filter; creates get `X-Project-Id` = the owner.
struct RouteAuthorizer: Sendable {
    let api: APIContext
    let policy: PolicyEnforcer

    static let denied = OctaviaError(.forbidden, "Policy does not allow this request to be performed.")
    static let missingProject = OctaviaError(.badRequest, "Missing project ID in request where one is required.")

    func authorize(_ request: Request, _ route: RoutePolicy?, context: APIRequestContext) async throws -> Request {
        // The middleware already required a token for every path but version discovery.
        if route?.target == .authenticatedOnly { return request }
        guard let credentials = RequestCaller.credentials else {
            throw OctaviaError(.unauthorized, "The request you have made requires authentication.")
        }
        guard let route else {
            context.logger.warning("no policy is registered for \(request.method) \(request.uri.path); refusing")
            throw Self.denied
        }
        func require(_ names: [String], _ project: String?) throws {
            for name in names where !policy.check(name, target: .project(project), credentials: credentials) {
                context.logger.debug("policy \(name) denied", metadata: ["user": "\(credentials.userID ?? "-")"])
                throw Self.denied
            }
        }
        switch route.target {
        case .authenticatedOnly:
            return request
        case .caller:
            try require(route.names, credentials.projectID)
            return request
        case .pathProject:
            try require(route.names, context.id)
            return request
        case .object(let lookup):
            guard let owner = try await lookup.project(of: context.id, on: api.store.reader) else { return request }
            var names = route.names
            if route.actions.contains("delete"), route.actions.count > 1,
               request.uri.queryParameters.get("additive_only")?.lowercased() == "true"
            {
                names.removeAll { $0.hasSuffix(":delete") }
            }
            try require(names, owner)
            return request.method == .get ? request : Self.replacingProject(request, with: owner)
        case .scopedList:
            return try scopeList(request, route, credentials: credentials, require: require)
        case .body(let root, let parents):
            return try await authorizeCreate(request, root: root, parents: parents, route: route,
                                             credentials: credentials, require: require)
        }
    }

    /// `_auth_get_all`: global readers see everything (or the project they filter on); others
    /// only the project they filter on if the rule allows it, else their own.
    func scopeList(_ request: Request, _ route: RoutePolicy, credentials: Credentials,
                   require: ([String], String?) throws -> Void) throws -> Request {
        let query = request.uri.queryParameters
        let asked = query.get("project_id") ?? query.get("tenant_id")
        let global = "\(DefaultPolicies.apiPrefix)\(route.resource):get_all-global"
        if policy.check(global, target: .project(asked), credentials: credentials) { return request }
        guard let project = asked ?? credentials.projectID else { throw Self.denied }
        try require(route.names, project)
        if asked != nil { return request }
        let path = request.head.path ?? request.uri.path
        let separator = path.contains("?") ? "&" : "?"
        let encoded = project.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? project
        var head = request.head
        head.path = path + separator + "project_id=" + encoded
        return Request(head: head, body: request.body)
    }

    /// A create: the target is the parent's project (or, for a load balancer, the body's
    /// `project_id` or the caller's project). A body `project_id` naming a different project
    /// than the parent's must pass the rule for that project too.
    func authorizeCreate(_ request: Request, root: String, parents: [RoutePolicy.BodyParent], route: RoutePolicy,
                         credentials: Credentials, require: ([String], String?) throws -> Void) async throws -> Request {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: APIContext.maxBodySize)
        } catch {
            throw OctaviaError(.payloadTooLarge, "Request entity too large.")
        }
        // A body that is not a JSON object is the handler's 400 to give.
        guard let document = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any],
              let object = document[root] as? [String: Any]
        else { return request }
        let named = (object["project_id"] as? String) ?? (object["tenant_id"] as? String)
        if parents.isEmpty {
            guard let project = named ?? credentials.projectID else { throw Self.missingProject }
            try require(route.names, project)
            return request
        }
        for parent in parents {
            guard let id = object[parent.key] as? String else { continue }
            guard let owner = try await parent.lookup.project(of: id, on: api.store.reader) else { return request }
            try require(route.names, owner)
            if let named, named != owner { try require(route.names, named) }
            return Self.replacingProject(request, with: owner)
        }
        return request
    }

    /// The same request with `X-Project-Id` = `project`, the project new children are stored under.
    static func replacingProject(_ request: Request, with project: String) -> Request {
        var head = request.head
        head.headerFields[APIContext.projectHeader] = project
        return Request(head: head, body: request.body)
    }
}
