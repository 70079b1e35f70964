// evtx-bench [-n N] FILE...: parses the files N times (default 5) and prints records/s
// (median run), in the same shape as ../shared/bench/evtx_bench.py: threads=1 is one thread,
// threads=0 parses chunks on all cores. "fields" parses every record into its fields (UTF-8
// ranges), "fields+json" also renders each record as one JSON string (the counterpart of
// evtx-rs handing out an XML or JSON string per record), "fields+strings" makes a Swift
// String of every field name and value.
// `-m MODE` runs only the modes whose name contains MODE (e.g. `-m "fields threads=1"` for a
// single-threaded profile under callgrind).
import EVTX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
var repeatCount = 5
var onlyMode: String?
while args.count >= 2, args[0] == "-n" || args[0] == "-m" {
    if args[0] == "-m" {
        onlyMode = args[1]
    } else if let n = Int(args[1]), n > 0 {
        repeatCount = n
    }
    args.removeFirst(2)
}
guard !args.isEmpty else {
    fputs("usage: evtx-bench [-n N] [-m MODE] FILE.evtx ...\n", stderr)
    exit(2)
}

var files: [EVTXFile] = []
for p in args {
    do { files.append(try EVTXFile(path: p)) } catch { fputs("\(p): \(error)\n", stderr); exit(1) }
}
let nbytes = files.reduce(0) { $0 + $1.bytes.count }
print("\(files.count) files, \(String(format1: Double(nbytes) / 1e6)) MB")

enum Output { case fields, json, strings }

/// Parses every file and makes `output` of every record.
func run(_ output: Output, threads: Int) -> (records: Int, skipped: Int, chars: Int) {
    var n = 0, skipped = 0, chars = 0
    for f in files {
        let d = f.forEachRecord(threads: threads) { rec in
            switch output {
            case .fields: chars += rec.fieldCount
            case .json: chars += rec.renderJSON().utf8.count
            case .strings: chars += rec.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
            }
            return true
        }
        n += d.recordsParsed
        skipped += d.recordsSkippedCount + d.chunksSkippedCount
    }
    return (n, skipped, chars)
}

let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
let outputs: [(String, Output)] = [("fields", .fields), ("fields+json", .json), ("fields+strings", .strings)]
let modes = [1, 0].flatMap { t in outputs.map { (t, $0.0, $0.1) } }
for (threadsFlag, what, output) in modes {
    let threads = threadsFlag == 0 ? cpus : 1
    let name = "swift EVTX \(what) threads=\(threadsFlag)"
    if let onlyMode, !name.contains(onlyMode) { continue }
    var times: [Double] = []
    var last = (records: 0, skipped: 0, chars: 0)
    for _ in 0..<repeatCount {
        let t = now()
        last = run(output, threads: threads)
        times.append(now() - t)
    }
    times.sort()
    let m = times[times.count / 2]
    let line = name.padding(32) + " records=\(last.records) errors=\(last.skipped) median=\(String(format3: m))s"
        + " (min \(String(format3: times.first!)) max \(String(format3: times.last!)), n=\(repeatCount))  "
        + "\(Int(Double(last.records) / m)) rec/s  \(String(format1: Double(nbytes) / 1e6 / m)) MB/s"
    print(line)
}

extension String {
    init(format1 v: Double) { self = String(Double(Int(v * 10)) / 10) }
    init(format3 v: Double) {
        let ms = Int((v * 1000).rounded())
        let frac = String(ms % 1000)
        self = "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
