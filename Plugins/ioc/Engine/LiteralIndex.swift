/// Finds which of many literals occur in a string in one pass: literals are bucketed by their
/// first three (ASCII lower-cased) bytes, so each input position costs one bucket probe, and a
/// candidate is confirmed by comparing bytes. Literals shorter than three bytes are compared at
/// every position. Used as a prefilter for filename regexes and to find keywords and C2 values.
struct LiteralIndex: Sendable {
    struct Literal: Sendable {
        let bytes: [UInt8]
        /// Compared with the lower-cased input when true, with the input as is otherwise
        /// (then `bytes` are the literal as given).
        let foldCase: Bool
        let owner: Int
    }

    private var literals: [Literal] = []
    private var buckets: [[Int32]] = Array(repeating: [], count: 1 << 16)
    private var short: [Int32] = []

    mutating func add(_ text: [UInt8], foldCase: Bool, owner: Int) {
        guard !text.isEmpty else { return }
        let bytes = foldCase ? text.map(LiteralIndex.lower) : text
        let index = Int32(literals.count)
        literals.append(Literal(bytes: bytes, foldCase: foldCase, owner: owner))
        if bytes.count >= 3 {
            buckets[LiteralIndex.key(bytes.map(LiteralIndex.lower), 0)].append(index)
        } else {
            short.append(index)
        }
    }

    /// Every occurrence as (owner, start offset), in input order; an owner can appear often.
    func occurrences(in text: ScanText) -> [(owner: Int, offset: Int)] {
        let input = text.bytes, folded = text.folded
        guard !literals.isEmpty, !input.isEmpty else { return [] }
        var out: [(owner: Int, offset: Int)] = []
        for i in 0..<folded.count {
            if i + 3 <= folded.count {
                for candidate in buckets[LiteralIndex.key(folded, i)] where matches(literals[Int(candidate)], input, folded, at: i) {
                    out.append((literals[Int(candidate)].owner, i))
                }
            }
            for candidate in short where matches(literals[Int(candidate)], input, folded, at: i) {
                out.append((literals[Int(candidate)].owner, i))
            }
        }
        return out
    }


    private func matches(_ literal: Literal, _ input: [UInt8], _ folded: [UInt8], at i: Int) -> Bool {
        let n = literal.bytes.count
        guard i + n <= input.count else { return false }
        let haystack = literal.foldCase ? folded : input
        for k in 0..<n where haystack[i + k] != literal.bytes[k] { return false }
        return true
    }

    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }

    private static func key(_ s: [UInt8], _ i: Int) -> Int {
        (Int(s[i]) &* 0x9E37 ^ Int(s[i + 1]) &* 0x85EB ^ Int(s[i + 2]) &* 0xC2B3) & 0xFFFF
    }
}
