import Foundation
import Testing

@testable import OctaviaAPI

/// The hand-written serializer writes exactly what JSONEncoder (sorted keys, unescaped slashes) did.
@Suite struct JSONEncodingTests {
    static func reference(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    @Test func sameBytesAsJSONEncoder() throws {
        let values: [JSONValue] = [
            .null, true, 0, -42, "", "a/b \"q\" \\ \n\r\t\u{08}\u{0C}\u{01}\u{1F} é 漢 😀",
            ["b": 1, "a": [1, "x", nil], "B": ["z": false], "_": [:], "a1": [], "a_b": "c", "10": 1, "9": 2],
            ["loadbalancers": [["id": "1", "tags": ["x"], "vip_address": .null]], "loadbalancers_links": []],
        ]
        for value in values {
            #expect(value.encoded() == (try Self.reference(value)), "\(value)")
        }
    }

    @Test func openAPIDocumentUnchanged() throws {
        let document = try #require(JSONValue.parse(OpenAPIDocument.data))
        #expect(document.encoded() == (try Self.reference(document)))
    }
}
