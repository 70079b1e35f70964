#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Matches a `SigmaPattern` against UTF-8 bytes (already case-folded when the match is case-insensitive).
struct PatternMatcher {
    private enum Shape {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        case any
        case glob
    }

    let pattern: SigmaPattern
    private let shape: Shape
    /// Each segment as plain bytes when it has no `?`/dash atom (searchable with memmem).
    private let plainSegments: [[UInt8]?]

    init(_ pattern: SigmaPattern) {
        self.pattern = pattern
        plainSegments = pattern.segments.map { seg in
            var out: [UInt8] = []
            for atom in seg { guard case .byte(let b) = atom else { return nil }; out.append(b) }
            return out
        }
        let segs = pattern.segments
        if segs.isEmpty {
            shape = (pattern.leadingStar || pattern.trailingStar) ? .any : .exact([])
        } else if segs.count == 1, let plain = plainSegments[0] {
            switch (pattern.leadingStar, pattern.trailingStar) {
            case (false, false): shape = .exact(plain)
            case (false, true): shape = .prefix(plain)
            case (true, false): shape = .suffix(plain)
            case (true, true): shape = .contains(plain)
            }
        } else {
            shape = .glob
        }
    }

    /// The longest run of plain bytes every match must contain (used by the prefilter).
    var requiredLiteral: [UInt8]? {
        var longest: [UInt8] = []
        for segment in pattern.segments {
            var run: [UInt8] = []
            for atom in segment {
                if case .byte(let b) = atom { run.append(b); continue }
                if run.count > longest.count { longest = run }
                run = []
            }
            if run.count > longest.count { longest = run }
        }
        return longest.isEmpty ? nil : longest
    }

    func matches(_ value: [UInt8]) -> Bool {
        switch shape {
        case .exact(let p): return value == p
        case .prefix(let p): return value.count >= p.count && value[0..<p.count].elementsEqual(p)
        case .suffix(let p): return value.count >= p.count && value[(value.count - p.count)...].elementsEqual(p)
        case .contains(let p): return PatternMatcher.find(p, in: value, from: 0) != nil
        case .any: return true
        case .glob: return globMatch(value)
        }
    }

    private func globMatch(_ value: [UInt8]) -> Bool {
        let segs = pattern.segments
        var pos = 0
        var first = 0
        var last = segs.count - 1
        if !pattern.leadingStar {
            guard let end = matchSegment(0, value, at: 0) else { return false }
            if segs.count == 1 { return pattern.trailingStar || end == value.count }
            pos = end
            first = 1
        }
        if !pattern.trailingStar {
            // The last segment must end exactly at the end; try starts from the right-most feasible one.
            guard last >= first else { return pos == value.count }
            var start = value.count
            var endMatch: Int? = nil
            while start >= pos {
                if let e = matchSegment(last, value, at: start), e == value.count { endMatch = start; break }
                start -= 1
            }
            guard let tailStart = endMatch else { return false }
            return findSegments(first..<last, value, from: pos, limit: tailStart)
        }
        last = segs.count
        return findSegments(first..<last, value, from: pos, limit: value.count)
    }

    /// Finds the segments in order, leftmost each, all within value[from..<limit].
    private func findSegments(_ range: Range<Int>, _ value: [UInt8], from: Int, limit: Int) -> Bool {
        var pos = from
        for index in range {
            if let plain = plainSegments[index] {
                guard let at = PatternMatcher.find(plain, in: value, from: pos), at + plain.count <= limit else {
                    return false
                }
                pos = at + plain.count
                continue
            }
            var start = pos
            var found: Int? = nil
            while start < limit {
                if let e = matchSegment(index, value, at: start), e <= limit { found = e; break }
                start += 1
            }
            guard let end = found else { return false }
            pos = end
        }
        return true
    }

    /// Matches segment `index` at `start`; returns the end offset. Each atom has one possible width at a
    /// given position, so no backtracking is needed inside a segment.
    private func matchSegment(_ index: Int, _ value: [UInt8], at start: Int) -> Int? {
        var i = start
        for atom in pattern.segments[index] {
            guard i < value.count else { return nil }
            switch atom {
            case .byte(let b):
                guard value[i] == b else { return nil }
                i += 1
            case .anyOne:
                i += PatternMatcher.scalarWidth(value[i])
                if i > value.count { return nil }
            case .dash:
                let b = value[i]
                if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") {
                    i += 1
                } else if b == 0xE2, i + 2 < value.count, value[i + 1] == 0x80,
                          (0x93...0x95).contains(value[i + 2]) {
                    i += 3
                } else {
                    return nil
                }
            }
        }
        return i
    }

    static func scalarWidth(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }

    /// Offset of the first occurrence of `needle` in `hay` at or after `from`.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        if needle.isEmpty { return from <= hay.count ? from : nil }
        guard from < hay.count, hay.count - from >= needle.count else { return nil }
        // memchr for the first byte, memcmp for the rest (memmem is not exported by Glibc's module).
        return hay.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                guard let hb = h.baseAddress, let nb = n.baseAddress else { return nil }
                let first = Int32(nb.pointee)
                var at = from
                let lastStart = h.count - n.count
                while at <= lastStart {
                    guard let hit = memchr(hb + at, first, lastStart - at + 1) else { return nil }
                    let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(hb)
                    if memcmp(hb + offset, nb, n.count) == 0 { return offset }
                    at = offset + 1
                }
                return nil
            }
        }
    }
}
