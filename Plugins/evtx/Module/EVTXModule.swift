import EVTX
import PluginABI
import PluginKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The evtx module: files tagged EVTX (by magic, any name) are parsed and every record is
/// emitted as an event object whose fields are the record's System and EventData/UserData
/// values, so signature modules (ioc, sigma, YARA log rules) can match them.
final class EVTXModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "evtx", version: "1.0.0",
        description: "Windows EVTX event logs: every record becomes an event object",
        author: "thor project",
        objectKinds: [thor_object_kind(THOR_OBJ_FILE)],
        capabilities: UInt32(THOR_CAP_EMITS_CHILDREN | THOR_CAP_NEEDS_CONTENT | THOR_CAP_THREADSAFE),
        typeTags: ["EVTX"])

    /// `lookback` option: only events of the last N days; 0 or absent keeps all.
    let lookbackDays: Int

    init(_ setup: ModuleSetup) throws {
        lookbackDays = max(0, Int(setup.option("lookback") ?? "") ?? 0)
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let content = object.content else {
            throw ModuleError.invalid("EVTX: no content mapped for \(object.path)")
        }
        let cutoff = lookbackDays > 0 ? EVTXModule.filetimeNow() &- UInt64(lookbackDays) * 864_000_000_000 : 0
        var emitted = 0, tooOld = 0
        var aborted = false, limited = false
        // Parsed from the mapped bytes in place: they live until this call returns, and records copy
        // their text. The only error is a file that is not EVTX (the body does not throw).
        let diag: EVTXDiagnostics
        do {
            diag = try EVTXFile.forEachRecord(in: content) { rec in
                // Counted over every record visited, so a long run of records skipped by lookback is checked too.
                if (emitted + tooOld) % 256 == 0 && host.shouldAbort { aborted = true; return false }
                if rec.timeCreated < cutoff { tooOld += 1; return true }
                var child = ChildObject(kind: thor_object_kind(THOR_OBJ_EVENT),
                                        path: object.path + "|" + String(rec.recordID), name: String(rec.recordID))
                child.type = "EVTX"
                // Strings straight from the record's UTF-8, without the EventField step.
                var fields: [(key: String, value: String)] = []
                fields.reserveCapacity(rec.fieldCount)
                rec.forEachField { n, v in
                    fields.append((String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self)))
                    return true
                }
                child.fields = fields
                if host.emitChild(child) == THOR_E_LIMIT { limited = true; return false }
                emitted += 1
                return true
            }
        } catch {
            throw ModuleError.corrupt("EVTX: \(object.path): \(error)")
        }
        var summary = "EVTX file \(object.path): \(diag.summary), events emitted: \(emitted)"
        if lookbackDays > 0 { summary += ", older than \(lookbackDays) days: \(tooOld)" }
        if limited { summary += ", stopped: host limit reached" }
        host.log(THOR_LOG_INFO, summary)
        if aborted { throw ModuleError(THOR_E_ABORTED, "EVTX: \(object.path): aborted") }
    }

    /// The current time as FILETIME (100 ns ticks since 1601).
    static func filetimeNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 10_000_000 + UInt64(ts.tv_nsec) / 100 + 116_444_736_000_000_000
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(EVTXModule.self, host: host)
}
