import Foundation

/// A list or map stored in one text column as JSON, so the schema stays dialect-neutral
/// (SQLite and PostgreSQL both store it as TEXT).
public struct JSONColumn<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }

    public func encode(to encoder: any Encoder) throws {
        let data = try JSONEncoder().encode(value)
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: data, as: UTF8.self))
    }
}
