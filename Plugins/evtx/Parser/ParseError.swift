/// Why a record, chunk or file could not be parsed. Rendered into per-file diagnostics.
enum EVTXParseError: Error, CustomStringConvertible {
    case truncated(StaticString, at: Int)
    case invalid(String)
    case limit(String)

    var description: String {
        switch self {
        case .truncated(let what, let at): return "truncated \(what) at offset \(at)"
        case .invalid(let why): return why
        case .limit(let why): return "limit reached: \(why)"
        }
    }
}
