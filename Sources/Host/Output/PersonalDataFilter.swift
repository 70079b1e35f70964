/// `--suppresspi`: takes user names out of what is logged, as THOR does. The values of USER and
/// OWNER keys become `ANONYMIZED_BY_THOR`, and so does the profile folder's name in every path
/// below `X:\Users\`, `X:\Documents and Settings\` and, on the systems this scanner runs on,
/// `/home/`, wherever such a path occurs in a message or value.
enum PersonalDataFilter {
    static let replacement = "ANONYMIZED_BY_THOR"

    static func anonymize(_ event: LogEvent) -> LogEvent {
        switch event {
        case .message(var m):
            m.message = anonymizePaths(m.message)
            m.fields = m.fields.map(anonymize)
            return .message(m)
        case .finding(var f):
            f.message = anonymizePaths(f.message)
            f.subject = f.subject.map(anonymize)
            f.subjectFields = f.subjectFields.map(anonymize)
            return .finding(f)
        }
    }

    private static func anonymize(_ field: (key: String, value: String)) -> (key: String, value: String) {
        switch field.key {
        case "USER", "OWNER", "user", "owner": (field.key, replacement)
        default: (field.key, anonymizePaths(field.value))
        }
    }

    /// The folders whose next path element is a user's name, lower-case; a Windows one follows a
    /// drive letter and its colon.
    private static let windowsProfileRoots: [[UInt8]] = [Array(#":\users\"#.utf8), Array(#":\documents and settings\"#.utf8)]
    private static let homeRoot: [UInt8] = Array("/home/".utf8)

    /// `text` with every profile folder name below a root replaced.
    static func anonymizePaths(_ text: String) -> String {
        // Most values hold no profile path: they are returned without copying.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            if let nameStart = profileNameStart(bytes, at: i) {
                out += bytes[i..<nameStart]
                var end = nameStart
                while end < bytes.count && bytes[end] != UInt8(ascii: "\\") && bytes[end] != UInt8(ascii: "/") { end += 1 }
                if end > nameStart {
                    out += replacement.utf8
                    changed = true
                }
                i = end
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// Where a user's name begins when a profile root starts at `i`.
    private static func profileNameStart(_ bytes: [UInt8], at i: Int) -> Int? {
        if matches(bytes, at: i, homeRoot) { return i + homeRoot.count }
        // A drive letter, then the root.
        guard i + 1 < bytes.count, isLetter(bytes[i]), bytes[i + 1] == UInt8(ascii: ":") else { return nil }
        for root in windowsProfileRoots where matches(bytes, at: i + 1, root) {
            return i + 1 + root.count
        }
        return nil
    }

    /// `pattern` (lower-case) at `i`, ASCII letters in any case.
    private static func matches(_ bytes: [UInt8], at i: Int, _ pattern: [UInt8]) -> Bool {
        guard i + pattern.count <= bytes.count else { return false }
        for (offset, expected) in pattern.enumerated() {
            var b = bytes[i + offset]
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { b += 32 }
            if b != expected { return false }
        }
        return true
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
}
