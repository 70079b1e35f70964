// thor-evtx-dump FILE...: every record of every file as one JSON object per line:
// {"event_record_id": <record header id>, "timestamp": <record header time>, "fields": {...}}.
// Per-file summaries and damage go to stderr; unreadable or non-EVTX input exits non-zero.
import EVTX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func printErr(_ s: String) {
    fputs(s + "\n", stderr)
}

let args = Array(CommandLine.arguments.dropFirst())
if args.isEmpty || args.contains("-h") || args.contains("--help") {
    printErr("usage: thor-evtx-dump FILE.evtx ...\n  prints every record as a JSON line; summaries go to stderr")
    exit(args.isEmpty ? 2 : 0)
}

var failures = 0
for path in args {
    do {
        let file = try EVTXFile(path: path)
        let d = file.forEachRecord { rec in
            var line = "{\"event_record_id\":\(rec.recordID),\"timestamp\":\"\(rec.writtenTimeString)\",\"fields\":"
            line += rec.renderJSON()
            line += "}\n"
            fputs(line, stdout)
            return true
        }
        printErr("\(path): \(d.summary)")
    } catch {
        printErr("\(path): error: \(error)")
        failures += 1
    }
}
exit(failures == 0 ? 0 : 1)
