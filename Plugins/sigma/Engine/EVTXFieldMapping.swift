/// Renames the fields of an EVTX record as the evtx module emits them (the `EVTX` parser's flat names) to
/// the names Sigma rules use, following the flattening of the pySigma reference
/// (shared/corpus/expected/sigma/README.md). The parser's output stays as it is (it mirrors evtx-rs);
/// only Sigma needs these names.
///
/// - System: `Execution_ProcessID` → `ProcessID`, `Security_UserID` → `UserID`, `EventID_Qualifiers` →
///   `Qualifiers`, `TimeCreated` → `SystemTime`, `Correlation_ActivityID` → `ActivityID`,
///   `Provider_EventSourceName` → `EventSourceName`; `Provider_Name`, `EventID`, `Channel`… stay.
/// - Core System names (`Channel`, `EventID`, `Provider_Name`…) win a clash with the payload: the parser
///   calls the payload's field `Channel_1`; here it becomes `EventData_Channel` (System 104 names the
///   cleared log so). Other System names yield: a payload `Version` or `ProcessId` keeps its name and the
///   System value moves to `System_Version` / `System_ProcessID`.
/// - Repeated payload names (`Data`, `Data_1`, … from unnamed `<Data>` or array values) are joined with
///   newlines into the first, as evtx-rs lists are (`posh_pc_*` rules match `Data|contains`).
/// - Payload names that are not identifiers (Windows Defender's `Process Name`) also get the spellings
///   SigmaHQ rules use: `ProcessName` and `Process_Name`.
public enum EVTXFieldMapping {
    /// A System field of the parser: its Sigma name, and whether it wins a clash with the payload.
    struct SystemName {
        var sigma: String
        var core: Bool
    }

    /// Every System name the parser emits (one hash lookup per leading field).
    static let systemNames: [String: SystemName] = {
        var table: [String: SystemName] = [:]
        for core in ["EventID", "Channel", "Computer", "EventRecordID", "Level", "Task", "Opcode", "Keywords",
                     "Provider_Name", "Provider_Guid"] {
            table[core] = SystemName(sigma: core, core: true)
        }
        let yielding = [
            "Version": "Version", "Provider_EventSourceName": "EventSourceName", "EventID_Qualifiers": "Qualifiers",
            "TimeCreated": "SystemTime", "Correlation_ActivityID": "ActivityID",
            "Correlation_RelatedActivityID": "RelatedActivityID", "Execution_ProcessID": "ProcessID",
            "Execution_ThreadID": "ThreadID", "Execution_ProcessorID": "ProcessorID", "Execution_SessionID": "SessionID",
            "Execution_KernelTime": "KernelTime", "Execution_UserTime": "UserTime", "Security_UserID": "UserID",
        ]
        for (parser, sigma) in yielding { table[parser] = SystemName(sigma: sigma, core: false) }
        return table
    }()

    /// The record's fields as a Sigma event. System fields are the leading run of System names (the
    /// parser emits `<System>` first); everything after is payload.
    public static func sigmaEvent(_ fields: [(name: String, value: String)]) -> SigmaFieldList {
        var system: [SystemName] = []
        system.reserveCapacity(16)
        while system.count < fields.count, let known = systemNames[fields[system.count].name] { system.append(known) }
        let split = system.count
        // Payload first into a scratch list: repeats fold into their first occurrence.
        var payload: [(name: String, value: String?)] = []
        payload.reserveCapacity(fields.count - split)
        for i in split..<fields.count {
            let (name, value) = fields[i]
            if let base = repeatBase(name) {
                if let j = payload.lastIndex(where: { $0.name == base }) {
                    payload[j].value = (payload[j].value ?? "") + "\n" + value
                    continue
                }
                // The first of the name was a System field: a clash with the payload.
                if let k = fields[..<split].firstIndex(where: { $0.name == base }) {
                    payload.append((system[k].core ? "EventData_" + base : base, value))
                    continue
                }
            }
            payload.append((name, value))
        }
        var out: [(name: String, value: String?)] = []
        out.reserveCapacity(fields.count + 4)
        for i in 0..<split {
            let sigmaName = system[i].sigma
            if !system[i].core, payload.contains(where: { asciiEqualFolded($0.name, sigmaName) }) {
                out.append(("System_" + sigmaName, fields[i].value))
            } else {
                out.append((sigmaName, fields[i].value))
            }
        }
        for field in payload {
            out.append(field)
            guard !isIdentifier(field.name) else { continue }
            let compact = String(field.name.unicodeScalars.filter { isIdentifierScalar($0) && $0 != "_" })
            let underscored = String(field.name.map { $0 == " " ? "_" : $0 })
            if !compact.isEmpty { out.append((compact, field.value)) }
            if underscored != compact && underscored != field.name { out.append((underscored, field.value)) }
        }
        return SigmaFieldList(out)
    }

    /// `X` when `name` is the parser's name for a repeat of `X` (`X_1`, `X_2`, …).
    static func repeatBase(_ name: String) -> String? {
        let u = name.utf8
        guard let underscore = u.lastIndex(of: UInt8(ascii: "_")), underscore != u.startIndex else { return nil }
        let digits = u[u.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return String(name[..<underscore])
    }

    static func asciiEqualFolded(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        }
    }

    static func isIdentifierScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_"
    }

    static func isIdentifier(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { u in
            u.allSatisfy { b in
                (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                    || b == UInt8(ascii: "_")
            }
        }
    }
}
