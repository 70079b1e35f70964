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

    /// The yielding System names by their ASCII case-folded spelling (a payload `processid` takes
    /// `ProcessID` too).
    static let yieldingNames: [FoldedName: String] = {
        var table: [FoldedName: String] = [:]
        for name in systemNames.values where !name.core { table[FoldedName(name.sigma)] = name.sigma }
        return table
    }()

    /// The record's fields as a Sigma event (in the order `ScanObject.fields` has them). System fields
    /// are the leading run of System names (the parser emits `<System>` first); everything after is
    /// payload. Linear in the fields: names are looked up in tables, never searched for.
    public static func sigmaEvent(_ fields: [(key: String, value: String)]) -> SigmaFieldList {
        var system: [SystemName] = []
        system.reserveCapacity(16)
        while system.count < fields.count, let known = systemNames[fields[system.count].key] { system.append(known) }
        let split = system.count
        // Payload first into a scratch list: repeats fold into their first occurrence.
        var payload: [(name: String, value: String)] = []
        payload.reserveCapacity(fields.count - split)
        // Built on the first repeat (most records have none): the last payload position of each name,
        // then kept up to date, and the first System position of each name.
        var lastInPayload: [String: Int]?
        var firstInSystem: [String: Int]?
        func append(_ name: String, _ value: String) {
            lastInPayload?[name] = payload.count
            payload.append((name, value))
        }
        for i in split..<fields.count {
            let (name, value) = fields[i]
            if let base = repeatBase(name) {
                if lastInPayload == nil {
                    lastInPayload = Dictionary(zip(payload.lazy.map(\.name), payload.indices), uniquingKeysWith: { _, last in last })
                }
                if let j = lastInPayload?[base] {
                    payload[j].value += "\n"
                    payload[j].value += value
                    continue
                }
                if firstInSystem == nil {
                    firstInSystem = Dictionary(zip(fields[..<split].lazy.map(\.key), 0..<split), uniquingKeysWith: { first, _ in first })
                }
                // The first of the name was a System field: a clash with the payload.
                if let k = firstInSystem?[base] {
                    append(system[k].core ? "EventData_" + base : base, value)
                    continue
                }
            }
            append(name, value)
        }
        // The yielding System names that a payload field also has (at most all of them, 13).
        var taken: [String] = []
        for field in payload {
            if let sigma = yieldingNames[FoldedName(field.name)], !taken.contains(sigma) { taken.append(sigma) }
        }
        var out: [(name: String, value: String?)] = []
        out.reserveCapacity(fields.count + 4)
        for i in 0..<split {
            let sigmaName = system[i].sigma
            out.append((!system[i].core && taken.contains(sigmaName) ? "System_" + sigmaName : sigmaName, fields[i].value))
        }
        for field in payload {
            out.append((field.name, field.value))
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

    /// A field name compared and hashed with ASCII letters case-folded.
    struct FoldedName: Hashable {
        let name: String

        init(_ name: String) { self.name = name }

        static func == (a: FoldedName, b: FoldedName) -> Bool {
            a.name.utf8.count == b.name.utf8.count && a.name.utf8.elementsEqual(b.name.utf8) { fold($0) == fold($1) }
        }

        func hash(into hasher: inout Hasher) {
            for b in name.utf8 { hasher.combine(FoldedName.fold(b)) }
        }

        static func fold(_ b: UInt8) -> UInt8 {
            let lower = b | 0x20
            return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") ? lower : b
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
