import Foundation
import Sigma

// sigma-bench: events per second through every rule of a rule directory.
// Usage: sigma-bench [--rules DIR] [--mapping FILE] [--seconds S] [EVENTS...]
// EVENTS are evtx-rs JSON record files (SigmaHQ's regression .json, `evtx_dump -o json` output);
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
for file in inputs {
    do {
        events += try EvtxJSONEvent.records(fromFile: file).map(EvtxJSONEvent.flatten)
    } catch {
        print("cannot read \(file): \(error)")
    }
}
guard !events.isEmpty else { print("no events"); exit(1) }

let evaluator = set.makeEvaluator()
var matches = 0
for e in events { matches += evaluator.countMatches(e) }
t0 = now()
var evaluated = 0
while now() - t0 < seconds {
    for e in events { _ = evaluator.countMatches(e) }
    evaluated += events.count
}
let elapsed = now() - t0
print(String(format: "events: %d from %d files, %d rule matches per pass", events.count, inputs.count, matches))
print(String(format: "throughput: %.0f events/s (%d events in %.2f s, %d rules)", Double(evaluated) / elapsed,
             evaluated, elapsed, set.rules.count))
