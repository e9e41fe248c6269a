import Foundation
import Hummingbird
import OctaviaAuth
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// Tokens known in advance, as a stand-in for Keystone; `keystone-down` plays an outage.
struct FakeTokens: TokenValidating {
    static let users: [String: Credentials] = [
        "admin": Credentials(userID: "u-admin", projectID: "admin-project", roles: ["admin", "member", "reader"]),
        "memberA": Credentials(userID: "u-a", projectID: "project-a", roles: ["member", "reader"]),
        "readerA": Credentials(userID: "u-ra", projectID: "project-a", roles: ["reader"]),
        "memberB": Credentials(userID: "u-b", projectID: "project-b", roles: ["member", "reader"]),
        "unscoped": Credentials(userID: "u-u", roles: []),
    ]

    func validate(_ token: String) async throws(TokenValidationError) -> Credentials {
        if token == "keystone-down" { throw .unavailable("down") }
        guard let credentials = Self.users[token] else { throw .invalid }
        return credentials
    }
}

extension APIClient {
    func `as`(_ token: String, _ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue? = nil) async throws -> APIResponse {
        try await request(method, uri, body.map { String(decoding: $0.encoded(), as: UTF8.self) },
                          headers: [HeaderName("X-Auth-Token")!: token])
    }

    func lb(as token: String, _ name: String = "lb") async throws -> APIResponse {
        try await self.as(token, .post, "/v2/lbaas/loadbalancers",
                          ["loadbalancer": ["name": .string(name), "vip_subnet_id": .string(APITestHarness.subnetID)]])
    }
}

@Suite struct AuthPolicyAPITests {
    static func keystone(policy: [String: String] = [:]) throws -> APIOptions {
        var options = APIOptions(noauthDefaultProjectID: "default-project")
        options.authentication = APIAuthentication(
            validator: FakeTokens(), policy: try PolicyEnforcer.make(enforceNewDefaults: true, overrides: policy),
            wwwAuthenticateURI: "http://127.0.0.1:5000/v3")
        options.enforceQuotas = true
        return options
    }

    @Test func missingInvalidTokensAre401AndOutageIs503() async throws {
        try await APITestHarness(options: Self.keystone()).run { api in
            let none = try await api.request(.get, "/v2/lbaas/loadbalancers")
            #expect(none.status == .unauthorized)
            #expect(none.headers[HeaderName("WWW-Authenticate")!] == "Keystone uri=\"http://127.0.0.1:5000/v3\"")
            #expect(try await api.as("garbage", .get, "/v2/lbaas/loadbalancers").status == .unauthorized)
            let down = try await api.as("keystone-down", .get, "/v2/lbaas/loadbalancers")
            #expect(down.status == .serviceUnavailable)
            // Version discovery stays open.
            let root = try await api.request(.get, "/")
            #expect(root.status == .ok, "\(root.status) \(String(describing: root.json))")
        }
    }

    @Test func readerMemberAdminAndIsolation() async throws {
        try await APITestHarness(options: Self.keystone()).run { api in
            let created = try await api.lb(as: "memberA", "a1")
            #expect(created.status == .created)
            #expect(created["loadbalancer"]?["project_id"]?.stringValue == "project-a")
            let id = try #require(created["loadbalancer"]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, id)
            let b = try await api.lb(as: "memberB", "b1")
            let bID = try #require(b["loadbalancer"]?["id"]?.stringValue)
            try await api.activate(LoadBalancer.self, bID)

            // reader: list and show, no create
            #expect(try await api.as("readerA", .get, "/v2/lbaas/loadbalancers/\(id)").status == .ok)
            #expect(try await api.lb(as: "readerA").status == .forbidden)
            #expect(try await api.lb(as: "readerA").faultstring == "Policy does not allow this request to be performed.")
            let readerList = try await api.as("readerA", .get, "/v2/lbaas/loadbalancers")
            #expect(readerList["loadbalancers"]?.arrayValue?.count == 1)

            // member of A: B's objects are forbidden, B's project cannot be listed or created in
            #expect(try await api.as("memberA", .get, "/v2/lbaas/loadbalancers/\(bID)").status == .forbidden)
            #expect(try await api.as("memberA", .delete, "/v2/lbaas/loadbalancers/\(bID)").status == .forbidden)
            #expect(try await api.as("memberA", .put, "/v2/lbaas/loadbalancers/\(bID)", ["loadbalancer": ["name": "x"]]).status == .forbidden)
            #expect(try await api.as("memberA", .get, "/v2/lbaas/loadbalancers?project_id=project-b").status == .forbidden)
            #expect(try await api.as("memberA", .post, "/v2/lbaas/loadbalancers", ["loadbalancer": [
                "project_id": "project-b", "vip_subnet_id": .string(APITestHarness.subnetID)]]).status == .forbidden)
            #expect(try await api.as("memberA", .post, "/v2/lbaas/listeners", ["listener": [
                "loadbalancer_id": .string(bID), "protocol": "HTTP", "protocol_port": 80]]).status == .forbidden)
            #expect(try await api.as("memberA", .get, "/v2/lbaas/loadbalancers/\(bID)/stats").status == .forbidden)
            // ... unknown ids still 404
            #expect(try await api.as("memberA", .get, "/v2/lbaas/loadbalancers/\(UUID())").status == .notFound)

            // a child created on A's LB belongs to A
            let listener = try await api.as("memberA", .post, "/v2/lbaas/listeners", ["listener": [
                "loadbalancer_id": .string(id), "protocol": "HTTP", "protocol_port": 80]])
            #expect(listener.status == .created)
            #expect(listener["listener"]?["project_id"]?.stringValue == "project-a")

            // admin: everything, with project filters
            let all = try await api.as("admin", .get, "/v2/lbaas/loadbalancers")
            #expect(all["loadbalancers"]?.arrayValue?.count == 2)
            let onlyB = try await api.as("admin", .get, "/v2/lbaas/loadbalancers?project_id=project-b")
            #expect(onlyB["loadbalancers"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [bID])
            #expect(try await api.as("admin", .get, "/v2/lbaas/loadbalancers/\(bID)").status == .ok)

            // admin-only operations
            #expect(try await api.as("memberA", .get, "/v2/octavia/amphorae").status == .forbidden)
            #expect(try await api.as("admin", .get, "/v2/octavia/amphorae").status == .ok)
            #expect(try await api.as("memberA", .put, "/v2/lbaas/quotas/project-a", ["quota": ["loadbalancer": 9]]).status == .forbidden)
            #expect(try await api.as("readerA", .get, "/v2/lbaas/quotas/project-a").status == .ok)
            #expect(try await api.as("readerA", .get, "/v2/lbaas/quotas/project-b").status == .forbidden)
            #expect(try await api.as("memberA", .post, "/v2/lbaas/flavorprofiles", ["flavorprofile": [
                "name": "x", "provider_name": "amphora", "flavor_data": "{}"]]).status == .forbidden)
            // unscoped tokens cannot list project resources
            #expect(try await api.as("unscoped", .get, "/v2/lbaas/loadbalancers").status == .forbidden)
            #expect(try await api.lb(as: "unscoped").status == .badRequest)
        }
    }

    @Test func clientCannotSpoofProjectHeader() async throws {
        try await APITestHarness(options: Self.keystone()).run { api in
            let r = try await api.request(.post, "/v2/lbaas/loadbalancers",
                                          "{\"loadbalancer\": {\"vip_subnet_id\": \"\(APITestHarness.subnetID)\"}}",
                                          headers: [HeaderName("X-Auth-Token")!: "memberA", HeaderName("X-Project-Id")!: "project-b"])
            #expect(r["loadbalancer"]?["project_id"]?.stringValue == "project-a")
        }
    }

    @Test func policyOverrideChangesOneOperation() async throws {
        let options = try Self.keystone(policy: ["os_load-balancer_api:loadbalancer:post": "rule:load-balancer:read"])
        try await APITestHarness(options: options).run { api in
            let created = try await api.lb(as: "readerA")
            #expect(created.status == .created)
        }
    }

    @Test func twentyParallelCreatesAgainstQuotaOfFive() async throws {
        try await APITestHarness(options: Self.keystone()).run { api in
            #expect(try await api.as("admin", .put, "/v2/lbaas/quotas/project-a", ["quota": ["loadbalancer": 5]]).status == .accepted)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<20 { group.addTask { try await api.lb(as: "memberA", "lb\(i)").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 5)
            #expect(statuses.filter { $0 == .forbidden }.count == 15)
            #expect(try await api.count(LoadBalancer.self) == 5)
        }
    }

    /// Every registered route has a policy, so nothing is reachable by accident under keystone.
    @Test func everyRouteHasAPolicy() async throws {
        let harness = try await APITestHarness(options: Self.keystone())
        let (_, catalog) = buildAPIRoutes(store: harness.store, network: harness.network, options: harness.options,
                                          logger: .init(label: "t"))
        for operation in catalog.operations {
            let path = operation.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
            let method = HTTPRequest.Method(operation.method.uppercased())!
            #expect(RoutePolicy.resolve(path: path, method: method) != nil, "\(operation)")
        }
        await harness.store.close()
    }
}
