/// One element of a Sigma string value after escape processing.
enum PatternAtom: Equatable {
    case byte(UInt8)
    /// `?`: exactly one character (one UTF-8 scalar).
    case anyOne
    /// `windash`: any of `-` `/` `–` `—` `―`.
    case dash
}

/// A Sigma string value: literal atoms separated by `*` wildcards.
///
/// `segments[0]` is anchored at the start unless `leadingStar`, the last one at the end unless
/// `trailingStar`; segments between stars are found leftmost (which is optimal for `*`-separated globs).
struct SigmaPattern: Equatable {
    var segments: [[PatternAtom]]
    var leadingStar: Bool
    var trailingStar: Bool

    /// Parses a rule value with Sigma's escaping: `\*`, `\?` and `\\` are plain characters, a backslash
    /// before anything else is itself plain, `*` and `?` are wildcards.
    static func parse(_ text: String) -> SigmaPattern {
        var chars: [PatternToken] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count,
               [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "\\")].contains(bytes[i + 1]) {
                chars.append(.atom(.byte(bytes[i + 1])))
                i += 2
                continue
            }
            switch b {
            case UInt8(ascii: "*"): chars.append(.star)
            case UInt8(ascii: "?"): chars.append(.atom(.anyOne))
            default: chars.append(.atom(.byte(b)))
            }
            i += 1
        }
        return SigmaPattern(tokens: chars)
    }

    init(segments: [[PatternAtom]], leadingStar: Bool, trailingStar: Bool) {
        self.segments = segments
        self.leadingStar = leadingStar
        self.trailingStar = trailingStar
    }

    fileprivate init(tokens: [PatternToken]) {
        var segments: [[PatternAtom]] = [[]]
        for token in tokens {
            switch token {
            case .star: segments.append([])
            case .atom(let a): segments[segments.count - 1].append(a)
            }
        }
        // Empty segments (from "**" or a star at either end) carry no text; the flags keep the anchoring.
        self.init(segments: segments.filter { !$0.isEmpty },
                  leadingStar: tokens.first == .star, trailingStar: tokens.last == .star)
    }

    var hasWildcards: Bool {
        leadingStar || trailingStar || segments.count > 1
            || segments.contains { $0.contains { $0 == .anyOne || $0 == .dash } }
    }

    /// The plain text when the pattern has no wildcard at all.
    var plainBytes: [UInt8]? {
        if hasWildcards { return nil }
        guard let only = segments.first else { return [] }
        return only.map { if case .byte(let b) = $0 { return b } else { return 0 } }
    }

    /// Wraps the pattern for `contains` / `startswith` / `endswith`.
    func wrapped(leading: Bool, trailing: Bool) -> SigmaPattern {
        SigmaPattern(segments: segments, leadingStar: leadingStar || leading, trailingStar: trailingStar || trailing)
    }

    /// Replaces every dash character (`-`, `/`, en dash, em dash, horizontal bar) by the `windash` class.
    func windash() -> SigmaPattern {
        let multi: [[UInt8]] = [[0xE2, 0x80, 0x93], [0xE2, 0x80, 0x94], [0xE2, 0x80, 0x95]]
        let out = segments.map { seg -> [PatternAtom] in
            var result: [PatternAtom] = []
            var i = 0
            while i < seg.count {
                if case .byte(let b) = seg[i] {
                    if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") { result.append(.dash); i += 1; continue }
                    if b == 0xE2, i + 2 < seg.count,
                       multi.contains(where: { m in seg[i..<(i + 3)].elementsEqual(m.map { .byte($0) }) }) {
                        result.append(.dash); i += 3; continue
                    }
                }
                result.append(seg[i])
                i += 1
            }
            return result
        }
        return SigmaPattern(segments: out, leadingStar: leadingStar, trailingStar: trailingStar)
    }

    /// Lower-cases the literal bytes the same way event values are lower-cased.
    func lowercased() -> SigmaPattern {
        let out = segments.map { seg -> [PatternAtom] in
            var result: [PatternAtom] = []
            var run: [UInt8] = []
            func flush() {
                if !run.isEmpty { result += CaseFolding.lower(run).map { .byte($0) }; run = [] }
            }
            for atom in seg {
                if case .byte(let b) = atom { run.append(b) } else { flush(); result.append(atom) }
            }
            flush()
            return result
        }
        return SigmaPattern(segments: out, leadingStar: leadingStar, trailingStar: trailingStar)
    }
}

private enum PatternToken: Equatable {
    case star
    case atom(PatternAtom)
}
