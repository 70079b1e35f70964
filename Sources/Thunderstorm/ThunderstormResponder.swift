import HTTPTypes
import Hummingbird
import NIOCore

/// Dispatches requests over `APIRoute.all` (plus `/`, `/static/api.json`); every error is a JSON
/// object `{"message": ...}` and unknown paths are a plain 404 (the PR collectors treat 404 on
/// /api/collection as "unsupported").
struct ThunderstormResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let service: ThunderstormService

    func respond(to request: Request, context: Context) async throws -> Response {
        let (path, query) = QueryParameters.split(target: request.head.path)

        if path == "/" || path == "/index.html" {
            guard request.method == .get || request.method == .head else { return Self.methodNotAllowed("GET") }
            let page = LandingPage.html(status: await service.statusObject(), version: service.info.thorVersion)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        if path == "/static/api.json" {
            return Self.json(APIRoute.openAPIDocument(version: service.info.thorVersion), pretty: true)
        }
        guard let route = APIRoute.route(forPath: path) else {
            return Self.error(.notFound, "no such endpoint: \(path)")
        }
        guard request.method.rawValue == route.method else { return Self.methodNotAllowed(route.method) }

        switch route.endpoint {
        case .check, .checkAsync:
            // Uploads never get here: UploadEndpointHandler answers them before Hummingbird.
            return Self.error(.internalServerError, "uploads are answered by the upload handler")
        case .getAsyncResults:
            return await service.asyncResult(query: query).response
        case .status:
            return Self.json(await service.statusObject(), pretty: query.pretty)
        case .info:
            return Self.json(service.info.infoObject(threads: service.options.threads, pureYara: service.options.pureYara), pretty: query.pretty)
        case .queueHistory:
            return history(.queue, query)
        case .sampleHistory:
            return history(.sample, query)
        case .deniedHistory:
            return history(.denied, query)
        }
    }

    private func history(_ kind: ServiceStats.History, _ query: QueryParameters) -> Response {
        var aggregate = 1
        if let text = query["aggregate"] {
            guard let value = Int(text), value >= 1 else { return Self.error(.badRequest, "aggregate specified is no integer >= 1") }
            aggregate = value
        }
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text), value >= 0 else { return Self.error(.badRequest, "limit specified is no integer >= 0") }
            limit = value
        }
        return Self.json(service.stats.history(kind, aggregate: aggregate, limit: limit), pretty: query.pretty)
    }

    static func json(_ value: JSONValue, pretty: Bool, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        APIAnswer.json(value, pretty: pretty, status: status, headers: headers).response
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        APIAnswer.error(status, message, headers: headers).response
    }

    static func methodNotAllowed(_ allowed: String) -> Response {
        error(.methodNotAllowed, "use \(allowed) for this endpoint", headers: [.allow: allowed])
    }
}

extension APIAnswer {
    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

extension ThunderstormService {
    func statusObject() async -> JSONValue {
        stats.statusObject(queued: await queue.pendingCount())
    }
}
