/// The API's endpoints as data: the responder dispatches on this table and /static/api.json is
/// generated from it, so the document cannot drift from what is served.
public struct APIRoute: Sendable, Equatable {
    public enum Endpoint: String, Sendable, CaseIterable {
        case check, checkAsync, getAsyncResults, status, info, queueHistory, sampleHistory, deniedHistory
    }

    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var type: String
        public var required: Bool
        public var description: String
    }

    public var endpoint: Endpoint
    public var method: String
    public var summary: String
    public var upload: Bool
    public var parameters: [Parameter]
    /// Status code -> description.
    public var responses: [(String, String)]

    public var path: String { "/api/" + endpoint.rawValue }

    public static func == (a: APIRoute, b: APIRoute) -> Bool { a.endpoint == b.endpoint }

    static let pretty = Parameter(name: "pretty", type: "boolean", required: false, description: "Indent the JSON answer")
    static let source = Parameter(
        name: "source", type: "string", required: false,
        description: "Host name for the log (default: the client address)")
    static let historyParameters = [
        Parameter(name: "aggregate", type: "integer", required: false, description: "Minutes per entry (default 1)"),
        Parameter(name: "limit", type: "integer", required: false, description: "Minutes of history (default: all kept)"),
        pretty,
    ]
    static let historyResponses = [("200", "Object of \"YYYY-MM-DD HH:MM\": count"), ("400", "aggregate or limit is no integer")]

    public static let all: [APIRoute] = [
        APIRoute(
            endpoint: .check, method: "POST", summary: "Scan a sample and wait for the result", upload: true,
            parameters: [source, pretty],
            responses: [
                ("200", "Array of findings; [] when nothing was found"),
                ("400", "Invalid parameters given - no file, or multiple files, or a malformed body"),
                ("413", "The file is larger than the configured upload limit"),
                ("500", "The scan failed"),
                ("503", "Too many simultaneous requests, retry after Retry-After seconds"),
            ]),
        APIRoute(
            endpoint: .checkAsync, method: "POST", summary: "Queue a sample; returns its id", upload: true,
            parameters: [source, pretty],
            responses: [
                ("200", "{\"id\": <integer>}"),
                ("400", "Invalid parameters given - no file, or multiple files, or a malformed body"),
                ("413", "The file is larger than the configured upload limit"),
                ("500", "The sample could not be queued"),
            ]),
        APIRoute(
            endpoint: .getAsyncResults, method: "GET", summary: "Status and result of a queued sample", upload: false,
            parameters: [Parameter(name: "id", type: "integer", required: true, description: "Id from /api/checkAsync"), pretty],
            responses: [
                ("200", "{\"status\": \"Waiting for execution\"|\"Currently being scanned\"|\"Sample analysis complete\"|\"Sample analysis failed\", \"result\": [findings] when complete}"),
                ("400", "Invalid parameters - no ID specified, or ID invalid or not present in cache"),
            ]),
        APIRoute(
            endpoint: .status, method: "GET", summary: "Live counters", upload: false, parameters: [pretty],
            responses: [("200", "uptime_seconds, scanned_samples, queued_async_requests, averages, denied requests")]),
        APIRoute(
            endpoint: .info, method: "GET", summary: "Versions, license and configuration", upload: false, parameters: [pretty],
            responses: [("200", "thor_version, signature_version, sigma_version, license_expiration_date, threads, ...")]),
        APIRoute(
            endpoint: .queueHistory, method: "GET", summary: "Async queue length per minute", upload: false,
            parameters: historyParameters, responses: historyResponses),
        APIRoute(
            endpoint: .sampleHistory, method: "GET", summary: "Scanned samples per minute", upload: false,
            parameters: historyParameters, responses: historyResponses),
        APIRoute(
            endpoint: .deniedHistory, method: "GET", summary: "Requests refused with 503 per minute", upload: false,
            parameters: historyParameters, responses: historyResponses),
    ]

    /// Maps `/api/<name>` and its `/api/v1/<name>` alias to a route.
    public static func route(forPath path: Substring) -> APIRoute? {
        guard let endpoint = endpoint(forPath: path) else { return nil }
        return all.first { $0.endpoint == endpoint }
    }

    /// The endpoint of `/api/<name>` or `/api/v1/<name>`, without copying its route (asked per request).
    static func endpoint(forPath path: Substring) -> Endpoint? {
        let bytes = path.utf8
        for prefix in ["/api/v1/", "/api/"] where bytes.starts(with: prefix.utf8) {
            return Endpoint(rawValue: String(decoding: bytes.dropFirst(prefix.utf8.count), as: UTF8.self))
        }
        return nil
    }

    /// The endpoints that take an upload.
    static let uploadEndpoints = Set(all.filter(\.upload).map(\.endpoint))

    /// The OpenAPI 3 document served at /static/api.json.
    public static func openAPIDocument(version: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for route in all {
            var operation: [(String, JSONValue)] = [
                ("summary", .string(route.summary)),
                ("operationId", .string(route.endpoint.rawValue)),
                ("parameters", .array(route.parameters.map { p in
                    .object([
                        ("name", .string(p.name)), ("in", .string("query")), ("required", .bool(p.required)),
                        ("description", .string(p.description)), ("schema", .object([("type", .string(p.type))])),
                    ])
                })),
            ]
            if route.upload {
                let fileSchema: JSONValue = .object([
                    ("type", .string("object")),
                    ("required", .array([.string("file")])),
                    ("properties", .object([("file", .object([("type", .string("string")), ("format", .string("binary"))]))])),
                ])
                operation.append(("requestBody", .object([
                    ("required", .bool(true)),
                    ("content", .object([("multipart/form-data", .object([("schema", fileSchema)]))])),
                ])))
            }
            operation.append(("responses", .object(route.responses.map { code, text in
                (code, .object([
                    ("description", .string(text)),
                    ("content", .object([("application/json", .object([("schema", .object([("type", .string(code == "200" && route.endpoint == .check ? "array" : "object"))]))]))])),
                ]))
            })))
            paths.append((route.path, .object([(route.method.lowercased(), .object(operation))])))
        }
        return .object([
            ("openapi", .string("3.0.3")),
            ("info", .object([
                ("title", .string("THOR Thunderstorm API")),
                ("version", .string(version)),
                ("description", .string("Every /api/<name> endpoint is also served as /api/v1/<name>. Errors are {\"message\": \"...\"}.")),
            ])),
            ("paths", .object(paths)),
        ])
    }
}
