import Foundation
import OctaviaCore
import Testing

@Suite struct JSONColumnTests {
    struct Row: Codable, Equatable {
        var tags: JSONColumn<[String]>
        var headers: JSONColumn<[String: String]>
    }

    @Test func storedAsJSONTextAndReadBack() throws {
        let row = Row(tags: JSONColumn(["a", "b \"quoted\"", "ü"]), headers: JSONColumn(["X-Forwarded-For": "true"]))
        let data = try JSONEncoder().encode(row)
        // Each column is one JSON string holding the encoded value, so it fits a TEXT column.
        let outer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tagsText = try #require(outer["tags"] as? String)
        #expect(try JSONDecoder().decode([String].self, from: Data(tagsText.utf8)) == row.tags.value)
        #expect(try JSONDecoder().decode(Row.self, from: data) == row)
    }

    @Test func emptyValuesRoundTrip() throws {
        let row = Row(tags: JSONColumn([]), headers: JSONColumn([:]))
        #expect(try JSONDecoder().decode(Row.self, from: try JSONEncoder().encode(row)) == row)
    }

    @Test func textThatIsNotTheValueFails() {
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"tags": "not json", "headers": "{}"}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"tags": "{}", "headers": "{}"}"#.utf8))
        }
    }
}
