import Yams

/// A scalar from a rule, classified the way YAML 1.2 core schema resolves plain scalars, but keeping
/// the text as written (so `0x17` stays the string a rule author meant).
enum RuleValue: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    init(_ scalar: Node.Scalar) {
        let text = scalar.string
        guard scalar.style == .plain else { self = .string(text); return }
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
            if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                self = .number(text)
            } else {
                self = .string(text)
            }
        }
    }

    /// The value as text, for modifiers that work on strings.
    var text: String? {
        switch self {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return nil
        }
    }
}

extension Node {
    /// A scalar's text, or nil for maps and lists.
    var scalarText: String? {
        if case .scalar(let s) = self { return s.string }
        return nil
    }

    /// A scalar or a list of scalars as a list of strings (metadata such as `tags`, `references`).
    var stringList: [String] {
        switch self {
        case .scalar(let s): return [s.string]
        case .sequence(let seq): return seq.compactMap(\.scalarText)
        default: return []
        }
    }

    subscript(key name: String) -> Node? {
        guard case .mapping(let map) = self else { return nil }
        for (k, v) in map where k.scalarText == name { return v }
        return nil
    }
}
