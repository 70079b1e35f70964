/// A parsed `condition`, with search identifiers resolved to selection indices.
indirect enum ConditionExpr: Equatable {
    case selection(Int)
    case and([ConditionExpr])
    case or([ConditionExpr])
    case not(ConditionExpr)
    /// `N of pattern` / `N of them`: at least N of the selections hold (`all of` is an `and`).
    case atLeast(Int, [Int])

    func evaluate(_ selection: (Int) -> Bool) -> Bool {
        switch self {
        case .selection(let i): return selection(i)
        case .and(let items): return items.allSatisfy { $0.evaluate(selection) }
        case .or(let items): return items.contains { $0.evaluate(selection) }
        case .not(let inner): return !inner.evaluate(selection)
        case .atLeast(let n, let indices):
            var hits = 0
            for i in indices where selection(i) {
                hits += 1
                if hits >= n { return true }
            }
            return false
        }
    }

    /// Selections reached without a negation on the way (what a match is reported with).
    func positiveSelections(into out: inout [Int]) {
        switch self {
        case .selection(let i): out.append(i)
        case .and(let items), .or(let items): for item in items { item.positiveSelections(into: &out) }
        case .not: break
        case .atLeast(_, let indices): out += indices
        }
    }
}

/// Parses Sigma conditions. Precedence, loosest first: `or`, `and`, `not`, `x of`, parentheses.
struct ConditionParser {
    private enum Token: Equatable {
        case word(String)
        case open, close
    }

    private let tokens: [Token]
    private var position = 0
    private let names: [String]
    private var depth = 0

    /// Parses one condition string against the rule's search identifiers (in detection order).
    static func parse(_ text: String, names: [String]) throws -> ConditionExpr {
        if text.contains("|") {
            throw SigmaRuleError.unsupported("aggregation in condition (\(text))")
        }
        var parser = ConditionParser(tokens: try tokenize(text), names: names)
        let expr = try parser.parseOr()
        guard parser.position == parser.tokens.count else {
            throw SigmaRuleError.invalid("unexpected text in condition '\(text)'")
        }
        return expr
    }

    private init(tokens: [Token], names: [String]) {
        self.tokens = tokens
        self.names = names
    }

    private static func tokenize(_ text: String) throws -> [Token] {
        var out: [Token] = []
        var word = ""
        func flush() { if !word.isEmpty { out.append(.word(word)); word = "" } }
        for ch in text {
            switch ch {
            case "(": flush(); out.append(.open)
            case ")": flush(); out.append(.close)
            case " ", "\t", "\n", "\r": flush()
            default: word.append(ch)
            }
        }
        flush()
        return out
    }

    private func peekKeyword() -> String? {
        guard position < tokens.count, case .word(let w) = tokens[position] else { return nil }
        return w.lowercased()
    }

    private mutating func parseOr() throws -> ConditionExpr {
        var items = [try parseAnd()]
        while peekKeyword() == "or" { position += 1; items.append(try parseAnd()) }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseAnd() throws -> ConditionExpr {
        var items = [try parseNot()]
        while peekKeyword() == "and" { position += 1; items.append(try parseNot()) }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseNot() throws -> ConditionExpr {
        if peekKeyword() == "not" {
            position += 1
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> ConditionExpr {
        guard position < tokens.count else { throw SigmaRuleError.invalid("condition ends too early") }
        let token = tokens[position]
        position += 1
        switch token {
        case .close:
            throw SigmaRuleError.invalid("unbalanced ')' in condition")
        case .open:
            depth += 1
            guard depth < 64 else { throw SigmaRuleError.invalid("condition nested too deeply") }
            let inner = try parseOr()
            depth -= 1
            guard position < tokens.count, tokens[position] == .close else {
                throw SigmaRuleError.invalid("missing ')' in condition")
            }
            position += 1
            return inner
        case .word(let word):
            if peekKeyword() == "of" {
                position += 1
                return try parseOf(quantifier: word)
            }
            switch word.lowercased() {
            case "and", "or", "of", "them":
                throw SigmaRuleError.invalid("unexpected '\(word)' in condition")
            case "near":
                throw SigmaRuleError.unsupported("'near' in condition")
            default:
                guard let index = names.firstIndex(of: word) else {
                    throw SigmaRuleError.invalid("condition names unknown search identifier '\(word)'")
                }
                return .selection(index)
            }
        }
    }

    private mutating func parseOf(quantifier: String) throws -> ConditionExpr {
        guard position < tokens.count, case .word(let target) = tokens[position] else {
            throw SigmaRuleError.invalid("'of' without a target in condition")
        }
        position += 1
        let indices: [Int]
        if target.lowercased() == "them" {
            // `them` leaves out identifiers starting with an underscore, by convention.
            indices = names.indices.filter { !names[$0].hasPrefix("_") }
        } else {
            indices = names.indices.filter { ConditionParser.nameMatches(names[$0], pattern: target) }
        }
        guard !indices.isEmpty else {
            throw SigmaRuleError.invalid("'\(quantifier) of \(target)' matches no search identifier")
        }
        if quantifier.lowercased() == "all" {
            return indices.count == 1 ? .selection(indices[0]) : .and(indices.map { .selection($0) })
        }
        guard let n = Int(quantifier), n >= 1 else {
            throw SigmaRuleError.invalid("bad quantifier '\(quantifier)' before 'of'")
        }
        return .atLeast(n, indices)
    }

    /// Identifier patterns use `*` for any run of characters (case-sensitive, like identifiers).
    static func nameMatches(_ name: String, pattern: String) -> Bool {
        let matcher = PatternMatcher(SigmaPattern(
            segments: pattern.split(separator: "*", omittingEmptySubsequences: true).map { $0.utf8.map { .byte($0) } },
            leadingStar: pattern.hasPrefix("*"), trailingStar: pattern.hasSuffix("*")))
        return matcher.matches(Array(name.utf8))
    }
}

/// Why a rule cannot be used.
enum SigmaRuleError: Error, Equatable {
    /// The rule uses a Sigma feature this engine does not implement.
    case unsupported(String)
    /// The rule is malformed.
    case invalid(String)

    var message: String {
        switch self {
        case .unsupported(let f): return "unsupported: \(f)"
        case .invalid(let f): return "invalid: \(f)"
        }
    }
}
