import Foundation

/// Turns `field|modifiers` and its rule values into a `FieldTest.Kind` (or keyword tests).
struct ValueCompiler {
    /// Values for `expand` placeholders (`%Servers%` → list); empty when none are configured.
    let placeholders: [String: [String]]

    private static let known: Set<String> = [
        "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "base64", "base64offset",
        "utf16le", "utf16be", "utf16", "wide", "windash", "cidr", "lt", "lte", "gt", "gte", "exists",
        "cased", "fieldref", "expand",
    ]

    /// Splits `Field|mod1|mod2` and rejects modifiers this engine does not know.
    static func splitKey(_ key: String) throws -> (field: String, modifiers: [String]) {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let modifiers = Array(parts.dropFirst())
        for m in modifiers where !known.contains(m) {
            throw SigmaRuleError.unsupported("modifier '\(m)'")
        }
        return (parts[0], modifiers)
    }

    /// Compiles the values of one field entry. `slotOf` resolves field names for `fieldref`.
    func fieldKind(modifiers: [String], values: [RuleValue], slotOf: (String) -> Int) throws -> FieldTest.Kind {
        let mods = Set(modifiers)
        let all = mods.contains("all")
        if mods.contains("exists") {
            guard values.count == 1, case .bool(let wanted) = values[0] else {
                throw SigmaRuleError.invalid("'exists' needs a single true/false")
            }
            return .exists(wanted)
        }
        if mods.contains("fieldref") {
            let names = try values.map { v -> String in
                guard let t = v.text else { throw SigmaRuleError.invalid("'fieldref' needs field names") }
                return t
            }
            return .fieldref(slots: names.map(slotOf), leading: mods.contains("contains") || mods.contains("endswith"),
                             trailing: mods.contains("contains") || mods.contains("startswith"),
                             cased: mods.contains("cased"), all: all)
        }
        if modifiers.isEmpty && values == [.null] { return .null }
        var tests: [ValueTest] = []
        var orNull = false
        for value in values {
            if value == .null {
                guard modifiers.isEmpty else { throw SigmaRuleError.unsupported("null with modifiers") }
                orNull = true
                continue
            }
            tests.append(try valueTest(modifiers: modifiers, value: value))
        }
        return .values(tests, all: all, orNull: orNull)
    }

    /// Keyword (field-less) values: each matches anywhere inside some value of the event.
    func keywordTests(modifiers: [String], values: [RuleValue]) throws -> [ValueTest] {
        var mods = modifiers.filter { $0 != "all" }
        if !mods.contains("re") && !mods.contains("contains") { mods.append("contains") }
        return try values.map { value in
            guard value != .null else { throw SigmaRuleError.unsupported("null as a keyword") }
            return try valueTest(modifiers: mods, value: value)
        }
    }

    /// One rule value under the modifier chain, applied in the order written.
    func valueTest(modifiers: [String], value: RuleValue) throws -> ValueTest {
        let mods = Set(modifiers)
        guard let text = value.text else { throw SigmaRuleError.invalid("null value with modifiers") }
        if mods.contains("re") {
            var options: NSRegularExpression.Options = []
            if mods.contains("i") { options.insert(.caseInsensitive) }
            if mods.contains("m") { options.insert(.anchorsMatchLines) }
            if mods.contains("s") { options.insert(.dotMatchesLineSeparators) }
            do {
                return .regex(try NSRegularExpression(pattern: text, options: options))
            } catch {
                throw SigmaRuleError.invalid("regular expression does not compile: \(text)")
            }
        }
        if mods.contains("cidr") {
            guard let range = CIDRRange(text) else { throw SigmaRuleError.invalid("bad CIDR '\(text)'") }
            return .cidr(range)
        }
        for op in [NumericComparison.lt, .lte, .gt, .gte] where mods.contains(op.rawValue) {
            guard let limit = Double(text) else { throw SigmaRuleError.invalid("'\(op.rawValue)' needs a number") }
            return .compare(op, limit)
        }
        if case .number(let n) = value, modifiers.isEmpty {
            return .number(text: Array(n.utf8), value: Int64(n))
        }
        let cased = mods.contains("cased")
        let sources = try expandPlaceholders(text, enabled: mods.contains("expand"))
        var alternatives: [ValueTest] = []
        for source in sources {
            for pattern in try patterns(for: source, modifiers: modifiers) {
                alternatives.append(.pattern(PatternMatcher(cased ? pattern : pattern.lowercased()), cased: cased))
            }
        }
        return alternatives.count == 1 ? alternatives[0] : .anyOf(alternatives)
    }

    /// Applies the string modifiers in order; a value may expand into several alternatives.
    private func patterns(for text: String, modifiers: [String]) throws -> [SigmaPattern] {
        enum Work { case pattern(SigmaPattern), bytes([UInt8]) }
        var work: [Work] = [.pattern(SigmaPattern.parse(text))]
        func plain(_ w: Work, _ modifier: String) throws -> [UInt8] {
            switch w {
            case .bytes(let b): return b
            case .pattern(let p):
                guard let b = p.plainBytes else {
                    throw SigmaRuleError.unsupported("'\(modifier)' on a value with wildcards")
                }
                return b
            }
        }
        for modifier in modifiers {
            switch modifier {
            case "utf16le", "wide":
                work = try work.map { .bytes(ValueEncoding.utf16LE(try plain($0, modifier))) }
            case "utf16be":
                work = try work.map { .bytes(ValueEncoding.utf16BE(try plain($0, modifier))) }
            case "utf16":
                work = try work.map { .bytes(ValueEncoding.utf16WithBOM(try plain($0, modifier))) }
            case "base64":
                work = try work.map { .pattern(.literalBytes(ValueEncoding.base64(try plain($0, modifier)))) }
            case "base64offset":
                work = try work.flatMap { w in
                    ValueEncoding.base64Offsets(try plain(w, modifier)).map { .pattern(.literalBytes($0)) }
                }
            case "windash", "contains", "startswith", "endswith":
                work = try work.map { w in
                    guard case .pattern(let p) = w else {
                        throw SigmaRuleError.unsupported("'\(modifier)' after an encoding without base64")
                    }
                    switch modifier {
                    case "windash": return .pattern(p.windash())
                    case "contains": return .pattern(p.wrapped(leading: true, trailing: true))
                    case "startswith": return .pattern(p.wrapped(leading: false, trailing: true))
                    default: return .pattern(p.wrapped(leading: true, trailing: false))
                    }
                }
            default:
                continue
            }
        }
        return try work.map { w in
            guard case .pattern(let p) = w else {
                throw SigmaRuleError.unsupported("utf16 encoding without base64")
            }
            return p
        }
    }

    /// `expand`: replaces `%name%` with each configured value (`\%` is a plain percent sign).
    private func expandPlaceholders(_ text: String, enabled: Bool) throws -> [String] {
        guard enabled else { return [text] }
        var results = [""]
        var rest = Substring(text)
        while let percent = rest.firstIndex(of: "%") {
            let before = rest[..<percent]
            if before.hasSuffix("\\") {
                results = results.map { $0 + before.dropLast() + "%" }
                rest = rest[rest.index(after: percent)...]
                continue
            }
            let afterOpen = rest.index(after: percent)
            guard let close = rest[afterOpen...].firstIndex(of: "%") else {
                results = results.map { $0 + rest }
                return results
            }
            let name = String(rest[afterOpen..<close])
            guard let values = placeholders[name], !values.isEmpty else {
                throw SigmaRuleError.unsupported("placeholder %\(name)% has no configured values")
            }
            results = results.flatMap { prefix in values.map { prefix + before + $0 } }
            rest = rest[rest.index(after: close)...]
        }
        return results.map { $0 + rest }
    }
}

extension SigmaPattern {
    /// Encoded text (base64 output) is matched literally.
    static func literalBytes(_ bytes: [UInt8]) -> SigmaPattern {
        SigmaPattern(segments: bytes.isEmpty ? [] : [bytes.map { .byte($0) }], leadingStar: false, trailingStar: false)
    }
}
