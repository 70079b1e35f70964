/// Literals of which every match of a regex must contain at least one, for the filename IOC
/// prefilter: the best run of plain ASCII characters, where a group of plain alternatives
/// (`\.(exe|dll)`) multiplies the run into several (`.exe`, `.dll`). Nil when no set whose
/// shortest member has three bytes is certain (a top-level alternation, extended mode, `\Q`,
/// nothing but classes). Conservative: other groups and classes end a run, an optional last
/// character is dropped, and a repetition ends a run.
enum RegexLiteral {
    /// A run fans out into at most this many literals.
    static let maxAlternatives = 16

    static func required(_ pattern: String) -> [[UInt8]]? {
        let p = Array(pattern.utf8)
        if extendedMode(p) || quotes(p) { return nil }
        var best: [[UInt8]] = []
        var run: [[UInt8]] = [[]]
        var lastWasLiteral = false
        func flush() {
            let (q, b) = (quality(run), quality(best))
            if q > b || (q == b && run.count < best.count) { best = run }
            run = [[]]
            lastWasLiteral = false
        }
        func appendLiteral(_ b: UInt8) {
            if b >= 0x80 { flush(); return }
            for k in run.indices { run[k].append(b) }
            lastWasLiteral = true
        }
        func dropOptionalLiteral() {
            if lastWasLiteral { for k in run.indices where !run[k].isEmpty { run[k].removeLast() } }
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
                guard let end = skipGroup(p, from: i) else { return nil }
                let quantified = end < p.count && "?*+{".utf8.contains(p[end])
                if !quantified, let alternatives = literalAlternatives(p[(i + 1)..<(end - 1)]),
                   run.count * alternatives.count <= maxAlternatives {
                    run = run.flatMap { prefix in alternatives.map { prefix + $0 } }
                    lastWasLiteral = false
                } else {
                    flush()
                }
                i = end
                continue
            case UInt8(ascii: "|"), UInt8(ascii: ")"):
                return nil
            case UInt8(ascii: "?"), UInt8(ascii: "*"):
                dropOptionalLiteral()
                flush()
            case UInt8(ascii: "+"):
                flush()
            case UInt8(ascii: "{"):
                var j = i + 1
                var digits: [UInt8] = []
                while j < p.count, p[j] >= 0x30, p[j] <= 0x39 { digits.append(p[j]); j += 1 }
                if (Int(String(decoding: digits, as: UTF8.self)) ?? 0) == 0 { dropOptionalLiteral() }
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
        return quality(best) >= 3 ? best : nil
    }

    /// The shortest member's length: what a set is worth as a prefilter.
    private static func quality(_ set: [[UInt8]]) -> Int { set.map(\.count).min() ?? 0 }

    /// `(?x` anywhere: whitespace and comments change meaning. (A plain byte scan: the generic
    /// `firstRange(of:)` was a fifth of a worker's start-up with signature-base's IOCs.)
    private static func extendedMode(_ p: [UInt8]) -> Bool {
        guard p.count >= 3 else { return false }
        for i in 0...(p.count - 3) where p[i] == UInt8(ascii: "(") && p[i + 1] == UInt8(ascii: "?") && p[i + 2] == UInt8(ascii: "x") {
            return true
        }
        return false
    }

    /// `\Q` starts a quoted run unless its backslash is itself escaped (`\\Quartz`).
    private static func quotes(_ p: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < p.count {
            if p[i] == UInt8(ascii: "\\") {
                if p[i + 1] == UInt8(ascii: "Q") { return true }
                i += 2
            } else {
                i += 1
            }
        }
        return false
    }

    /// The branches of a group body made of plain characters only (`exe|dll`, `?:g64\-|gse`),
    /// escapes decoded; nil for anything else (classes, nesting, quantifiers, flags, empty branches).
    private static func literalAlternatives(_ body: ArraySlice<UInt8>) -> [[UInt8]]? {
        var body = body
        if body.starts(with: "?:".utf8) { body = body.dropFirst(2) }
        var branches: [[UInt8]] = [[]]
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if c == UInt8(ascii: "|") {
                branches.append([])
            } else if c == UInt8(ascii: "\\") {
                guard i + 1 < body.endIndex, !isAlnum(body[i + 1]), body[i + 1] < 0x80 else { return nil }
                branches[branches.count - 1].append(body[i + 1])
                i += 1
            } else if c >= 0x80 || "()[].^$?*+{}".utf8.contains(c) {
                return nil
            } else {
                branches[branches.count - 1].append(c)
            }
            i += 1
        }
        return branches.contains { $0.isEmpty } ? nil : branches
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
