import Foundation

/// Turns an evtx-rs JSON record (the format SigmaHQ ships beside each regression .evtx, and what
/// `evtx_dump -o json` prints) into Sigma fields, with the flattening rules of the pySigma reference in
/// shared/corpus/expected/sigma/README.md (System attributes as `Provider_Name` etc., EventData by name,
/// unnamed Data joined by newlines, UserData leaves, core System names winning name collisions).
public enum EvtxJSONEvent {
    private static let coreSystem: Set<String> = [
        "EventID", "Qualifiers", "Channel", "Computer", "EventRecordID", "Level", "Task", "Opcode", "Keywords",
        "Provider_Name", "Provider_Guid", "EventSourceName", "SystemTime",
    ]

    /// Records of a file holding JSON objects one after another (pretty-printed or one per line).
    public static func records(fromFile path: String) throws -> [[String: Any]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var out: [[String: Any]] = []
        var depth = 0, start = 0, inString = false, escaped = false
        for (i, c) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"):
                if depth == 0 { start = i }
                depth += 1
            case UInt8(ascii: "}"):
                guard depth > 0 else { break }
                depth -= 1
                if depth == 0, let obj = try JSONSerialization.jsonObject(with: Data(bytes[start...i])) as? [String: Any] {
                    out.append(obj)
                }
            default: break
            }
        }
        return out
    }

    public static func flatten(_ record: [String: Any]) -> SigmaFieldList {
        guard let event = record["Event"] as? [String: Any] else { return SigmaFieldList([]) }
        var system: [(String, String?)] = []
        if let sys = event["System"] as? [String: Any] {
            for (key, value) in sys.sorted(by: { $0.key < $1.key }) {
                switch key {
                case "Provider", "TimeCreated", "Execution", "Security", "Correlation":
                    let attrs = ((value as? [String: Any])?["#attributes"] as? [String: Any]) ?? [:]
                    for (a, v) in attrs.sorted(by: { $0.key < $1.key }) {
                        let name = key == "Provider" ? "Provider_\(a)" : a
                        system.append((name, text(v)))
                    }
                case "EventID":
                    if let dict = value as? [String: Any] {
                        system.append(("EventID", text(dict["#text"])))
                        if let q = (dict["#attributes"] as? [String: Any])?["Qualifiers"] { system.append(("Qualifiers", text(q))) }
                    } else {
                        system.append(("EventID", text(value)))
                    }
                default:
                    if !(value is [String: Any]) { system.append((key, text(value))) }
                }
            }
        }
        var payload: [(String, String?)] = []
        if let data = event["EventData"] as? [String: Any] {
            var unnamed: [String] = []
            for (k, v) in data.sorted(by: { $0.key < $1.key }) where k != "#attributes" {
                if k == "Data" || k == "#text" {
                    if let list = v as? [Any] { unnamed += list.compactMap { text($0) } } else if let t = text(v) { unnamed.append(t) }
                    continue
                }
                payload.append((k, text(v)))
            }
            if !unnamed.isEmpty { payload.append(("Data", unnamed.joined(separator: "\n"))) }
        }
        if let user = event["UserData"] as? [String: Any] {
            var seen = Set<String>()
            collectLeaves(user, parent: "UserData", into: &payload, seen: &seen)
        }
        // Core System names win over payload names; other System names yield to the payload.
        var fields: [(name: String, value: String?)] = []
        let payloadNames = Set(payload.map { $0.0.lowercased() })
        for (name, value) in system {
            if coreSystem.contains(name) || !payloadNames.contains(name.lowercased()) { fields.append((name, value)) }
            fields.append(("System_\(name)", value))
        }
        let coreLower = Set(coreSystem.map { $0.lowercased() })
        for (name, value) in payload {
            fields.append((coreLower.contains(name.lowercased()) ? "EventData_\(name)" : name, value))
        }
        return SigmaFieldList(fields)
    }

    private static func collectLeaves(_ node: [String: Any], parent: String, into out: inout [(String, String?)],
                                      seen: inout Set<String>) {
        for (k, v) in node.sorted(by: { $0.key < $1.key }) {
            if k == "#attributes", let attrs = v as? [String: Any] {
                for (a, av) in attrs where !a.hasPrefix("xmlns") && seen.insert(a).inserted { out.append((a, text(av))) }
            } else if k == "#text" {
                if seen.insert(parent).inserted { out.append((parent, text(v))) }
            } else if let child = v as? [String: Any] {
                collectLeaves(child, parent: k, into: &out, seen: &seen)
            } else if seen.insert(k).inserted {
                out.append((k, text(v)))
            }
        }
    }

    /// JSON scalar → field text; null stays nil, booleans become 'true'/'false', lists are joined by newlines.
    static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let s as String: return s
        case let n as NSNumber:
            // JSON booleans arrive as NSNumber with the 'char' type code.
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            return n.stringValue
        case let list as [Any]: return list.compactMap { text($0) }.joined(separator: "\n")
        default: return "\(value!)"
        }
    }
}
