/// Parses `type; key=value; key="quoted"` header values (Content-Type, Content-Disposition) on raw
/// bytes, the way Go's mime.ParseMediaType does: a backslash in a quoted string escapes only a
/// following tspecial (so `C:\Users\x` stays literal while `C:\\Users` becomes `C:\Users`), and
/// non-ASCII bytes pass through unchanged (raw UTF-8 file names).
public struct HeaderParameters: Sendable, Equatable {
    /// The lower-cased value before the first `;`.
    public var value: String
    /// Parameters with lower-cased keys; values as raw bytes. The first occurrence of a key wins.
    public var parameters: [String: [UInt8]]

    /// Header values are bounded by the HTTP and multipart header limits; this caps parameter count.
    static let maxParameters = 32

    public init(_ header: some Collection<UInt8>) {
        let bytes = Array(header)
        var index = 0
        HeaderParameters.skipSpace(bytes, &index)
        value = String(decoding: HeaderParameters.token(bytes, &index), as: UTF8.self).lowercased()
        parameters = [:]
        while parameters.count < HeaderParameters.maxParameters {
            HeaderParameters.skipSpace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { break }
            index += 1
            HeaderParameters.skipSpace(bytes, &index)
            let key = HeaderParameters.token(bytes, &index)
            HeaderParameters.skipSpace(bytes, &index)
            guard !key.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                // Skip a malformed parameter up to the next `;`.
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                continue
            }
            index += 1
            HeaderParameters.skipSpace(bytes, &index)
            let parameterValue = HeaderParameters.parameterValue(bytes, &index)
            let name = String(decoding: key, as: UTF8.self).lowercased()
            if parameters[name] == nil { parameters[name] = parameterValue }
        }
    }

    /// A parameter as a String (UTF-8, invalid bytes replaced).
    public func string(_ key: String) -> String? {
        parameters[key].map { String(decoding: $0, as: UTF8.self) }
    }

    static func isTSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
             UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func skipSpace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    /// A token: anything up to a separator; `/` is allowed so `multipart/form-data` is one token.
    private static func token(_ bytes: [UInt8], _ index: inout Int) -> [UInt8] {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: ";") || b == UInt8(ascii: "=") || b == UInt8(ascii: " ") || b == UInt8(ascii: "\t")
                || b == UInt8(ascii: "\"") { break }
            index += 1
        }
        return Array(bytes[start..<index])
    }

    private static func parameterValue(_ bytes: [UInt8], _ index: inout Int) -> [UInt8] {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            // Unquoted: up to `;` or whitespace, taken literally (the PowerShell collector sends raw paths).
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
            var end = index
            while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            return Array(bytes[start..<end])
        }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; return out }
            if b == UInt8(ascii: "\\"), index + 1 < bytes.count, isTSpecial(bytes[index + 1]) {
                out.append(bytes[index + 1])
                index += 2
                continue
            }
            out.append(b)
            index += 1
        }
        // Unterminated quote: keep what was there rather than reject the upload.
        return out
    }
}

extension HeaderParameters {
    /// The file name of a Content-Disposition: RFC 5987 `filename*` when it decodes, else `filename`.
    public var fileName: String? {
        if let extended = parameters["filename*"], let decoded = HeaderParameters.decodeExtended(extended) {
            return decoded
        }
        return string("filename")
    }

    /// `charset'lang'percent-encoded`; only UTF-8 and US-ASCII charsets are decoded.
    static func decodeExtended(_ raw: [UInt8]) -> String? {
        let pieces = raw.split(separator: UInt8(ascii: "'"), maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = String(decoding: pieces[0], as: UTF8.self).lowercased()
        guard charset == "utf-8" || charset == "us-ascii" else { return nil }
        var out: [UInt8] = []
        var iterator = pieces[2].makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(), let hi = hexValue(h), let lo = hexValue(l) else { return nil }
                out.append(hi << 4 | lo)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
