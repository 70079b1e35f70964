/// The longest run of plain ASCII characters that every match of a regex must contain, or nil
/// when no run of at least three bytes is certain (a top-level alternation, extended mode,
/// nothing but classes). Conservative: groups and classes are skipped, an optional last
/// character is dropped, and a repetition ends a run.
enum RegexLiteral {
    static func required(_ pattern: String) -> [UInt8]? {
        let p = Array(pattern.utf8)
        if pattern.contains("(?x") || pattern.contains("\\Q") { return nil }
        var best: [UInt8] = []
        var run: [UInt8] = []
        var lastWasLiteral = false
        func flush() {
            if run.count > best.count { best = run }
            run = []
            lastWasLiteral = false
        }
        func appendLiteral(_ b: UInt8) {
            if b >= 0x80 { flush(); return }
            run.append(b)
            lastWasLiteral = true
        }
        var i = 0
        while i < p.count {
            let c = p[i]
            switch c {
            case UInt8(ascii: "\\"):
                guard i + 1 < p.count else { return nil }
                let next = p[i + 1]
                if isAlnum(next) {
                    // \d \w \s \b \x41 \u0041 ...: a class or an escape we do not decode.
                    flush()
                    i += 2 + (next == UInt8(ascii: "x") ? 2 : next == UInt8(ascii: "u") ? 4 : 0)
                    continue
                }
                appendLiteral(next)
                i += 2
                continue
            case UInt8(ascii: "["):
                flush()
                guard let end = skipClass(p, from: i) else { return nil }
                i = end
                continue
            case UInt8(ascii: "("):
                flush()
                guard let end = skipGroup(p, from: i) else { return nil }
                i = end
                continue
            case UInt8(ascii: "|"), UInt8(ascii: ")"):
                return nil
            case UInt8(ascii: "?"), UInt8(ascii: "*"):
                if lastWasLiteral, !run.isEmpty { run.removeLast() }
                flush()
            case UInt8(ascii: "+"):
                flush()
            case UInt8(ascii: "{"):
                var j = i + 1
                var digits: [UInt8] = []
                while j < p.count, p[j] >= 0x30, p[j] <= 0x39 { digits.append(p[j]); j += 1 }
                let minimum = Int(String(decoding: digits, as: UTF8.self)) ?? 0
                if minimum == 0, lastWasLiteral, !run.isEmpty { run.removeLast() }
                flush()
                while j < p.count, p[j] != UInt8(ascii: "}") { j += 1 }
                i = j + 1
                continue
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                flush()
            default:
                if c >= 0x80 { flush() } else { appendLiteral(c) }
            }
            i += 1
        }
        flush()
        return best.count >= 3 ? best : nil
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Index after the closing ']' of the class starting at `start`.
    private static func skipClass(_ p: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        if i < p.count, p[i] == UInt8(ascii: "^") { i += 1 }
        if i < p.count, p[i] == UInt8(ascii: "]") { i += 1 }
        while i < p.count {
            if p[i] == UInt8(ascii: "\\") { i += 2; continue }
            if p[i] == UInt8(ascii: "[") { guard let end = skipClass(p, from: i) else { return nil }; i = end; continue }
            if p[i] == UInt8(ascii: "]") { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Index after the ')' closing the group that starts at `start`.
    private static func skipGroup(_ p: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var i = start
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "\\"): i += 2; continue
            case UInt8(ascii: "["): guard let end = skipClass(p, from: i) else { return nil }; i = end; continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return nil
    }
}
