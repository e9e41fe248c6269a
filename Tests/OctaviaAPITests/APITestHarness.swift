import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
import Testing

@testable import OctaviaAPI

/// An in-memory SQLite store, a noop network with one network/subnet and the API router.
struct APITestHarness {
    static let networkID = "9c5f3a4e-1c2b-4d6e-8f70-0a1b2c3d4e5f"
    static let subnetID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"

    let store: SQLStore
    let network: NoopNetworkDriver
    let options: APIOptions

    /// - Parameter extraSubnets: more subnets; a subnet on a network not yet known brings that network.
    init(options: APIOptions = APIOptions(noauthDefaultProjectID: "default-project"), extraSubnets: [Subnet] = []) async throws {
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        store = try await SQLStore.openSQLite(path: nil, logger: logger)
        let subnets = [Subnet(id: Self.subnetID, name: "public-subnet", networkID: Self.networkID, cidr: "10.0.0.0/24",
                              gatewayIP: "10.0.0.1", projectID: "p1")] + extraSubnets
        let networkIDs = subnets.map(\.networkID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        network = NoopNetworkDriver(
            networks: networkIDs.map { id in
                Network(id: id, name: id == Self.networkID ? "public" : "net-\(id.prefix(8))",
                        subnetIDs: subnets.filter { $0.networkID == id }.map(\.id), projectID: "p1")
            },
            subnets: subnets)
        self.options = options
    }

    /// Runs `body` against the router, without sockets.
    func run(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        let router = buildAPIRouter(store: store, network: network, options: options, logger: logger)
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in
            try await body(APIClient(client: client, store: store))
        }
        await store.close()
    }
}

/// A response with its body parsed.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: JSONValue?

    subscript(_ key: String) -> JSONValue? {
        if case .object(let o) = json { return o[key] }
        return nil
    }

    /// `{"faultcode","faultstring","debuginfo"}` → faultstring.
    var faultstring: String? { self["faultstring"]?.stringValue }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol
    let store: SQLStore

    func request(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, headers: HTTPFields = [:])
        async throws -> APIResponse
    {
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: body.map { ByteBuffer(string: $0) })
        let data = Data(buffer: response.body)
        return APIResponse(status: response.status, headers: response.headers,
                           json: data.isEmpty ? nil : JSONValue.parse(data))
    }

    func request(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue) async throws -> APIResponse {
        try await request(method, uri, String(decoding: json.encoded(), as: UTF8.self))
    }

    /// Creates a load balancer on the test subnet and returns its id.
    func createLB(name: String = "lb1", active: Bool = true) async throws -> String {
        let r = try await request(.post, "/v2.0/lbaas/loadbalancers",
                                  json: ["loadbalancer": ["name": .string(name), "vip_subnet_id": .string(APITestHarness.subnetID)]])
        #expect(r.status == .created)
        let id = try #require(r["loadbalancer"]?["id"]?.stringValue)
        if active { try await activate(LoadBalancer.self, id) }
        return id
    }

    func createListener(lb: String, port: Int = 80, protocol proto: String = "HTTP") async throws -> String {
        let r = try await request(.post, "/v2.0/lbaas/listeners", json: ["listener": [
            "loadbalancer_id": .string(lb), "protocol": .string(proto), "protocol_port": .int(port), "name": "l1",
        ]])
        #expect(r.status == .created, "\(r.json ?? .null)")
        let id = try #require(r["listener"]?["id"]?.stringValue)
        try await activate(LoadBalancer.self, lb)
        try await activate(Listener.self, id)
        return id
    }

    func createPool(lb: String? = nil, listener: String? = nil, protocol proto: String = "HTTP") async throws -> String {
        var body: [String: JSONValue] = ["protocol": .string(proto), "lb_algorithm": "ROUND_ROBIN", "name": "pool1"]
        if let lb { body["loadbalancer_id"] = .string(lb) }
        if let listener { body["listener_id"] = .string(listener) }
        let r = try await request(.post, "/v2.0/lbaas/pools", json: ["pool": .object(body)])
        #expect(r.status == .created, "\(r.json ?? .null)")
        let id = try #require(r["pool"]?["id"]?.stringValue)
        let lbID = try #require(r["pool"]?["loadbalancers"]?[0]?["id"]?.stringValue)
        try await activate(LoadBalancer.self, lbID)
        try await activate(Pool.self, id)
        if let listener { try await activate(Listener.self, listener) }
        return id
    }

    /// Plays the worker: marks an object ACTIVE.
    func activate<T: StoredObject>(_ type: T.Type, _ id: String) async throws {
        try await store.write { try await $0.setStatus(T.self, id: id, provisioning: .active, operating: .online) }
    }

    func count<T: StoredObject>(_ type: T.Type) async throws -> Int {
        try await store.reader.count(T.self, ListQuery())
    }

    func jobs() async throws -> Int { try await store.jobs.pendingCount() }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    subscript(_ index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}
