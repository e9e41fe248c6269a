import Foundation
import Hummingbird

/// The OpenAPI 3.1 description served at `GET /v2/openapi.json`. The same bytes are checked in as
/// `docs/openapi.json`; `OpenAPITests` fails when they differ (and rewrites the file when
/// `OCTAVIA_UPDATE_OPENAPI=1`).
enum OpenAPIDocument {
    static let version = "3.1.0"

    /// Pretty-printed with sorted keys so the checked-in copy diffs well; ends with a newline.
    static let data: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body = (try? encoder.encode(document)) ?? Data("null".utf8)
        return body + Data("\n".utf8)
    }()

    static func response(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = ["Fault": OpenAPISchemas.fault]
        for entry in OpenAPIPaths.all {
            var item: [String: JSONValue] = [:]
            let parameters = pathParameters(entry.path)
            if !parameters.isEmpty { item["parameters"] = .array(parameters) }
            for operation in entry.operations {
                item[operation.method] = render(operation)
                if let request = operation.request { schemas[request.name] = request.schema }
            }
            paths[entry.path] = .object(item)
        }
        return [
            "openapi": .string(version),
            "info": [
                "title": "Swift Octavia load-balancing API",
                "version": .string(VersionController.versions.last?.0 ?? "v2"),
                "description": "The OpenStack Octavia v2 API as served by Swift Octavia (noauth). Collections are mounted under /v2/lbaas, /v2.0/lbaas, /v2 and /v2.0; any other method on a documented path answers 405.",
            ],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "parameters": .object(OpenAPIPaths.queryParameters),
                "responses": [
                    "Fault": [
                        "description": "Client error (Octavia's fault body)",
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Fault"]]],
                    ],
                    "ProviderUnsupported": [
                        "description": "The provider driver does not support a requested option (Octavia's fault body, faultcode Server)",
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Fault"]]],
                    ],
                ],
            ],
        ]
    }

    /// `{name}` segments as required string parameters.
    static func pathParameters(_ path: String) -> [JSONValue] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { segment in
            ["name": .string(String(segment.dropFirst().dropLast())), "in": "path", "required": true,
             "schema": ["type": "string"]]
        }
    }

    static func render(_ operation: OpenAPIPaths.Operation) -> JSONValue {
        let fault: JSONValue = ["$ref": "#/components/responses/Fault"]
        var success: [String: JSONValue] = ["description": .string(operation.summary)]
        if let key = operation.responseKey {
            let value: JSONValue = operation.responseIsList ? ["type": "array"] : [:]
            success["content"] = ["application/json": ["schema": [
                "type": "object", "required": [.string(key)], "properties": [key: value],
            ]]]
        } else if operation.status != 204 && operation.status != 202 {
            success["content"] = ["application/json": ["schema": [:]]]
        }
        var responses: [String: JSONValue] = [String(operation.status): .object(success), "4XX": fault]
        if operation.providerMayRefuse { responses["501"] = ["$ref": "#/components/responses/ProviderUnsupported"] }
        var result: [String: JSONValue] = ["summary": .string(operation.summary), "responses": .object(responses)]
        if !operation.query.isEmpty { result["parameters"] = .array(operation.query) }
        if let request = operation.request {
            let reference: JSONValue = ["$ref": .string("#/components/schemas/\(request.name)")]
            result["requestBody"] = ["required": true, "content": ["application/json": ["schema": reference]]]
        }
        return .object(result)
    }
}
