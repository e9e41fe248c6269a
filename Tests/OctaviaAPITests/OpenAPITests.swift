import Foundation
import Logging
import OctaviaCore
import Testing

@testable import OctaviaAPI

/// The served OpenAPI document, the checked-in `docs/openapi.json` and the router agree.
@Suite struct OpenAPITests {
    static let checkedIn = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.json")

    /// (method, path) pairs documented in `docs/openapi.json`.
    static func documentedOperations(_ document: JSONValue) throws -> Set<RouteCatalog.Operation> {
        guard case .object(let top) = document, case .object(let paths)? = top["paths"] else {
            Issue.record("document has no paths object")
            return []
        }
        let methods: Set<String> = ["get", "post", "put", "delete", "patch", "head", "options", "trace"]
        var result: Set<RouteCatalog.Operation> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where methods.contains(method) {
                result.insert(.init(method: method, path: path))
            }
        }
        return result
    }

    func checkedInDocument() throws -> Data {
        if ProcessInfo.processInfo.environment["OCTAVIA_UPDATE_OPENAPI"] == "1" {
            try OpenAPIDocument.data.write(to: Self.checkedIn)
        }
        return try Data(contentsOf: Self.checkedIn)
    }

    @Test func documentIsOpenAPI31JSON() throws {
        let data = try checkedInDocument()
        let document = try #require(JSONValue.parse(data), "docs/openapi.json is not JSON")
        guard case .object(let top) = document, case .string(let version)? = top["openapi"] else {
            Issue.record("no openapi version")
            return
        }
        #expect(version.hasPrefix("3.1."))
        #expect(top["info"] != nil)
    }

    @Test func checkedInCopyIsWhatIsServed() throws {
        let data = try checkedInDocument()
        #expect(data == OpenAPIDocument.data,
                "docs/openapi.json is stale: regenerate with OCTAVIA_UPDATE_OPENAPI=1 swift test --skip-build --filter OpenAPITests")
    }

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() async throws {
        let harness = try await APITestHarness()
        var logger = Logger(label: "openapi-test")
        logger.logLevel = .critical
        let catalog = buildAPIRoutes(store: harness.store, network: harness.network, options: harness.options,
                                     logger: logger).catalog
        await harness.store.close()
        let document = try #require(JSONValue.parse(try checkedInDocument()))
        let documented = try Self.documentedOperations(document)
        let undocumented = catalog.operations.subtracting(documented).map(\.description).sorted()
        let unrouted = documented.subtracting(catalog.operations).map(\.description).sorted()
        #expect(undocumented.isEmpty, "registered but not in docs/openapi.json: \(undocumented)")
        #expect(unrouted.isEmpty, "in docs/openapi.json but not registered: \(unrouted)")
        #expect(catalog.operations.count > 100)
    }

    @Test(arguments: ["/v2/openapi.json", "/v2.0/openapi.json"])
    func servedAtBothVersionPrefixes(path: String) async throws {
        let expected = try checkedInDocument()
        try await APITestHarness().run { api in
            let response = try await api.client.execute(uri: path, method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(Data(buffer: response.body) == expected)
        }
    }
}
