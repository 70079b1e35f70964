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

    /// The yielding System names by their length in bytes, so a payload name is compared (ASCII case
    /// folded: a payload `processid` takes `ProcessID` too) with at most the four of its length.
    static let yieldingNamesByLength: [[String]] = {
        let names = systemNames.values.filter { !$0.core }.map(\.sigma).sorted()
        var table = [[String]](repeating: [], count: (names.map(\.utf8.count).max() ?? 0) + 1)
        for name in names { table[name.utf8.count].append(name) }
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
        for field in payload where field.name.utf8.count < yieldingNamesByLength.count {
            for sigma in yieldingNamesByLength[field.name.utf8.count]
            where asciiEqualFolded(field.name, sigma) && !taken.contains(sigma) {
                taken.append(sigma)
            }
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

    /// `X` when `name` is the parser's name for a repeat of `X` (`X_1`, `X_2`, …). On the UTF-8
    /// bytes: it is asked of every payload name.
    static func repeatBase(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { u in
            // The digits at the end, then the '_' before them.
            var underscore = u.count - 1
            while underscore >= 0 && u[underscore] >= UInt8(ascii: "0") && u[underscore] <= UInt8(ascii: "9") { underscore -= 1 }
            guard underscore > 0, underscore < u.count - 1, u[underscore] == UInt8(ascii: "_") else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: u[..<underscore]), as: UTF8.self)
        }
    }

    static func asciiEqualFolded(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                (0..<x.count).allSatisfy { i in
                    x[i] == y[i] || (x[i] | 0x20 == y[i] | 0x20 && (x[i] | 0x20) >= UInt8(ascii: "a") && (x[i] | 0x20) <= UInt8(ascii: "z"))
                }
            }
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
