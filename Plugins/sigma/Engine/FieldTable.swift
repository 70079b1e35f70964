/// Field names used by the loaded rules, each with a slot number; built while compiling rules.
final class FieldTable {
    private var exact: [String: Int] = [:]
    private var folded: [String: Int] = [:]
    private(set) var names: [String] = []

    var count: Int { names.count }

    func slot(for name: String) -> Int {
        if let s = exact[name] { return s }
        let s = names.count
        names.append(name)
        exact[name] = s
        let key = name.lowercased()
        if folded[key] == nil { folded[key] = s }
        return s
    }

    @inline(__always)
    func exactSlot(_ name: String) -> Int? { exact[name] }

    func caseInsensitiveSlot(_ name: String) -> Int? { folded[name.lowercased()] }
}
