/// A dotted numeric version ("1.2.3"); missing parts count as 0, non-numeric suffixes are ignored.
struct SemanticVersion: Comparable {
    let parts: [Int]

    init(_ text: String) {
        parts = text.split(separator: ".").prefix(3).map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        for i in 0..<3 {
            let x = i < a.parts.count ? a.parts[i] : 0
            let y = i < b.parts.count ? b.parts[i] : 0
            if x != y { return x < y }
        }
        return false
    }
}
