import Foundation
import Hummingbird
import HummingbirdTesting
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct RootAndErrorTests {
    @Test func versionDocumentLinksToV2OnTheRequestHost() async throws {
        try await APITestHarness().run { api in
            let r = try await api.request(.get, "/")
            #expect(r.status == .ok)
            let versions = try #require(r["versions"]?.arrayValue)
            #expect(versions.count == 31)
            #expect(versions.first?["id"] == "v2.0")
            #expect(versions.first?["status"] == "SUPPORTED")
            #expect(versions.last?["id"] == "v2.30")
            #expect(versions.last?["status"] == "CURRENT")
            #expect(versions.first?["links"]?[0]?["href"]?.stringValue?.hasSuffix("/v2") == true)
            #expect(versions.first?["links"]?[0]?["rel"] == "self")
            for path in ["/v2", "/v2.0", "/v2/lbaas"] {
                let v2 = try await api.request(.get, path)
                #expect(v2.json == "v2")
            }
        }
    }

    @Test func everyResponseHasARequestID() async throws {
        try await APITestHarness().run { api in
            for path in ["/", "/v2.0/lbaas/loadbalancers", "/nope"] {
                let r = try await api.request(.get, path)
                let id = try #require(r.headers[HeaderName("x-openstack-request-id")!])
                #expect(id.hasPrefix("req-"))
                #expect(UUID(uuidString: String(id.dropFirst(4))) != nil)
            }
        }
    }

    @Test func unknownRouteIs404WrongMethodIs405() async throws {
        try await APITestHarness().run { api in
            let missing = try await api.request(.get, "/v2.0/lbaas/nothing")
            #expect(missing.status == .notFound)
            #expect(missing["faultcode"] == "Client")
            #expect(missing["debuginfo"] == .null)
            let wrong = try await api.request(.patch, "/v2.0/lbaas/loadbalancers")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong["faultcode"] == "Client")
            let wrongOne = try await api.request(.post, "/v2/lbaas/listeners/\(UUID().uuidString)")
            #expect(wrongOne.status == .methodNotAllowed)
        }
    }

    @Test func nonJSONAcceptIs406() async throws {
        try await APITestHarness().run { api in
            let r = try await api.request(.get, "/v2.0/lbaas/loadbalancers", headers: [.accept: "text/html"])
            #expect(r.status == .notAcceptable)
            #expect(r["errors"]?[0]?["detail"] == "Only content type application/json is accepted.")
            #expect(r["errors"]?[0]?["status"] == 406)
            let ok = try await api.request(.get, "/v2.0/lbaas/loadbalancers", headers: [.accept: "text/html, application/json;q=0.9"])
            #expect(ok.status == .ok)
            let any = try await api.request(.get, "/v2.0/lbaas/loadbalancers", headers: [.accept: "*/*"])
            #expect(any.status == .ok)
        }
    }

    @Test func unexpectedErrorsBecome500ServerFaults() {
        struct Boom: Error {}
        let error = APIError(classifying: Boom())
        #expect(error.status == .internalServerError)
        #expect(error.unexpected)
        #expect(error.body(requestID: "req-x")["faultcode"] == "Server")
        #expect(APIError(OctaviaError.immutable("Pool", "x")).status == .conflict)
        #expect(APIError(OctaviaError(.notImplemented, "n")).status == .notImplemented)
    }
}
