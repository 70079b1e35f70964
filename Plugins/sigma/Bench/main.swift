import EVTX
import Foundation
import Sigma

// sigma-bench: events per second through every rule of a rule directory.
// Usage: sigma-bench [--rules DIR] [--mapping FILE] [--seconds S] [EVENTS...]
// EVENTS are .evtx files (parsed by the EVTX library and renamed by EVTXFieldMapping, as the evtx and
// sigma modules do) or evtx-rs JSON record files (SigmaHQ's regression .json, `evtx_dump -o json`);
// without any, every regression .json under the shared corpus is used.

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
var rulesDir = packageRoot + "/../shared/corpus/sigma/rules"
var mappingFile = packageRoot + "/config/sigma.yml"
var seconds = 3.0
var inputs: [String] = []
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--rules": rulesDir = args.next() ?? rulesDir
    case "--mapping": mappingFile = args.next() ?? mappingFile
    case "--seconds": seconds = Double(args.next() ?? "") ?? seconds
    default: inputs.append(a)
    }
}
if inputs.isEmpty {
    let base = packageRoot + "/../shared/corpus/sigma/regression_data"
    let walker = FileManager.default.enumerator(atPath: base)
    while let rel = walker?.nextObject() as? String {
        if rel.hasSuffix(".json") { inputs.append(base + "/" + rel) }
    }
    inputs.sort()
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let mapping: LogsourceMapping
do { mapping = try LogsourceMapping.load(path: mappingFile) } catch { print("\(error)"); exit(1) }
var t0 = now()
let set = SigmaRuleSet.load(directories: [rulesDir], logsourceMapping: mapping, minimumLevel: .informational)
print(String(format: "rules: %d loaded, %d skipped, compiled in %.2f s", set.rules.count, set.skipped.count, now() - t0))

var events: [SigmaFieldList] = []
var parsed: [EVTXFile] = []
/// The EVTX records' fields as parsed, before the mapping.
var raw: [[(key: String, value: String)]] = []
for file in inputs {
    do {
        if file.hasSuffix(".evtx") {
            let evtx = try EVTXFile(path: file)
            parsed.append(evtx)
            evtx.forEachRecord { raw.append($0.fields.map { ($0.name, $0.value) }); return true }
        } else {
            events += try EvtxJSONEvent.records(fromFile: file).map(EvtxJSONEvent.flatten)
        }
    } catch {
        print("cannot read \(file): \(error)")
    }
}
events += raw.map(EVTXFieldMapping.sigmaEvent)
guard !events.isEmpty else { print("no events"); exit(1) }

let evaluator = set.makeEvaluator()
var matches = 0
for e in events { matches += evaluator.countMatches(e) }
print(String(format: "events: %d from %d files (%d .evtx), %d rule matches per pass", events.count, inputs.count,
             parsed.count, matches))

/// Repeats `pass` (which handles `perPass` events) for the configured time; events/s.
func measure(_ label: String, perPass: Int, _ pass: () -> Void) {
    let start = now()
    var done = 0
    while now() - start < seconds {
        pass()
        done += perPass
    }
    let elapsed = now() - start
    print(String(format: "%@: %.0f events/s (%d events in %.2f s, %d rules)", label, Double(done) / elapsed, done, elapsed,
                 set.rules.count))
}

measure("throughput (rules only)", perPass: events.count) {
    for e in events { _ = evaluator.countMatches(e) }
}
if !parsed.isEmpty {
    // What the modules do per record: parse, rename, match (no host, no IPC).
    measure("throughput (EVTX parse + mapping + rules)", perPass: raw.count) {
        for f in parsed {
            f.forEachRecord { _ = evaluator.countMatches(EVTXFieldMapping.sigmaEvent($0.fields.map { ($0.name, $0.value) })); return true }
        }
    }
    measure("throughput (mapping only)", perPass: raw.count) {
        for fields in raw { _ = EVTXFieldMapping.sigmaEvent(fields) }
    }
}
