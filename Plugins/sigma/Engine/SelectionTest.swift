/// One `field|modifiers: values` entry of a selection map, compiled.
struct FieldTest {
    enum Kind {
        /// Any (or, with `all`, every) test matches the value; `orNull` when the list also held `null`.
        case values([ValueTest], all: Bool, orNull: Bool)
        /// `field: null`: the field is absent or null.
        case null
        /// `field|exists: true/false`: presence only, whatever the value.
        case exists(Bool)
        /// `field|fieldref: other`: compared with another field of the same event.
        case fieldref(slots: [Int], leading: Bool, trailing: Bool, cased: Bool, all: Bool)
    }

    let field: String
    let slot: Int
    let kind: Kind

    func matches(_ ctx: EventContext) -> Bool {
        let entry = ctx.entry(slot)
        switch kind {
        case .null:
            guard let entry else { return true }
            return ctx.string(entry) == nil
        case .exists(let wanted):
            return (entry != nil) == wanted
        case .values(let tests, let all, let orNull):
            guard let entry, ctx.string(entry) != nil else { return orNull }
            return all ? tests.allSatisfy { $0.matches(ctx, entry) } : tests.contains { $0.matches(ctx, entry) }
        case .fieldref(let slots, let leading, let trailing, let cased, let all):
            guard let entry, let value = cased ? ctx.raw(entry) : ctx.lowered(entry) else { return false }
            let check: (Int) -> Bool = { otherSlot in
                guard let other = ctx.entry(otherSlot),
                      let ref = cased ? ctx.raw(other) : ctx.lowered(other) else { return false }
                let pattern = SigmaPattern(segments: ref.isEmpty ? [] : [ref.map { .byte($0) }],
                                           leadingStar: leading, trailingStar: trailing)
                return PatternMatcher(pattern).matches(value)
            }
            return all ? slots.allSatisfy(check) : slots.contains(where: check)
        }
    }
}

/// A search identifier of the detection section, compiled.
indirect enum SelectionTest {
    /// A map: every field test holds.
    case fields([FieldTest])
    /// A list of maps (or of keywords): any item holds.
    case any([SelectionTest])
    /// Every part holds (a map that mixes field entries with `'|all'` keyword entries).
    case all([SelectionTest])
    /// Field-less keywords: any (with `all`: every) test matches some value of the event.
    case keywords([ValueTest], all: Bool)

    func matches(_ ctx: EventContext) -> Bool {
        switch self {
        case .fields(let tests):
            return tests.allSatisfy { $0.matches(ctx) }
        case .any(let items):
            return items.contains { $0.matches(ctx) }
        case .all(let items):
            return items.allSatisfy { $0.matches(ctx) }
        case .keywords(let tests, let all):
            let inSomeValue: (ValueTest) -> Bool = { test in
                (0..<ctx.fieldCount).contains { ctx.string($0) != nil && test.matches(ctx, $0) }
            }
            return all ? tests.allSatisfy(inSomeValue) : tests.contains(where: inSomeValue)
        }
    }

    /// Names of the fields this selection tests (for reporting what matched).
    var fieldNames: [String] {
        switch self {
        case .fields(let tests): return tests.map(\.field)
        case .any(let items), .all(let items): return items.flatMap(\.fieldNames)
        case .keywords: return []
        }
    }
}
