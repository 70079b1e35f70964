/// Form-style query parsing as clients send it: `+` is a space, `%XX` decodes, a broken escape stays
/// literal, keys match case-insensitively (the PowerShell collector sends `Source=`).
struct QueryParameters: Sendable {
    private var pairs: [(String, String)] = []

    /// Bounds the work a hostile query can cause.
    static let maxPairs = 64

    init(_ query: Substring?) {
        guard let query, !query.isEmpty else { return }
        for piece in query.split(separator: "&", maxSplits: Self.maxPairs, omittingEmptySubsequences: true).prefix(Self.maxPairs) {
            let kv = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            pairs.append((key, value))
        }
    }

    /// A request target's path and its query (`/api/check?source=x`); no target is `/`.
    static func split(target: String?) -> (path: Substring, query: QueryParameters) {
        let (path, query) = pathAndQuery(of: target ?? "/")
        return (path, QueryParameters(query))
    }

    /// A request target's path and its raw query, nil when it has none.
    static func pathAndQuery(of target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// The first value for `key` (case-insensitive), nil when absent.
    subscript(_ key: String) -> String? {
        pairs.first { $0.0.lowercased() == key }?.1
    }

    /// `pretty`, `pretty=true`, `pretty=1` switch on; `pretty=false`/`0` and absence switch off.
    var pretty: Bool {
        guard let value = self["pretty"]?.lowercased() else { return false }
        return !(value == "false" || value == "0" || value == "no")
    }

    static func decode(_ text: Substring) -> String {
        // Most keys and values need no decoding (`source=host`).
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var bytes = text.utf8.makeIterator()
        var pending: [UInt8] = []
        while let b = bytes.next() {
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                pending = [b]
                guard let h = bytes.next() else { out += pending; break }
                pending.append(h)
                guard let l = bytes.next() else { out += pending; break }
                pending.append(l)
                if let hi = HeaderParameters.hexValue(h), let lo = HeaderParameters.hexValue(l) {
                    out.append(hi << 4 | lo)
                } else {
                    out += pending
                }
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
