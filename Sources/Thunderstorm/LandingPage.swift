/// The HTML page at `/`: the live counters as a table, refreshed every few seconds, and the links
/// THOR's page has (API documentation, client library).
enum LandingPage {
    static func html(status: JSONValue, version: String) -> String {
        var rows = ""
        if case .object(let members) = status {
            for (key, value) in members {
                let label = key.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
                rows += "<tr><td>\(escape(label))</td><td>\(escape(text(value)))</td></tr>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
        <title>THOR Thunderstorm</title>
        <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td{border:1px solid #ccc;padding:4px 12px}</style>
        </head><body>
        <h1>THOR Thunderstorm</h1>
        <p>Version \(escape(version))</p>
        <table>
        \(rows)</table>
        <p><a href="/static/api.json">API Documentation</a> (OpenAPI) &middot;
        <a href="https://github.com/NextronSystems/thunderstormAPI">API Client Library</a></p>
        </body></html>

        """
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return String(decoding: value.encoded(), as: UTF8.self)
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
