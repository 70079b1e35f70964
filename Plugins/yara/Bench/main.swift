// yara-engine-bench: scans a tree with YaraEngine the way `yara -r -p N` does, so its speed can
// be compared with the yara CLI, and writes the (file, rule) pairs in the format of
// ../shared/bench/expected/*.matches.jsonl for parity checks.
//
//   yara-engine-bench [--threads N] [--cache DIR] [--jsonl OUT] [--externals per-file|empty] RULEDIR... ROOT
import Foundation
import YaraEngine

struct Arguments {
    var threads = 2
    var cache: String?
    var jsonl: String?
    var perFileExternals = true
    var ruleDirs: [String] = []
    var root = ""

    static func parse(_ argv: [String]) -> Arguments? {
        var a = Arguments()
        var rest: [String] = []
        var i = 0
        while i < argv.count {
            let arg = argv[i]
            let value = i + 1 < argv.count ? argv[i + 1] : nil
            switch arg {
            case "--threads": guard let v = value.flatMap(Int.init), v > 0 else { return nil }; a.threads = v; i += 1
            case "--cache": guard let v = value else { return nil }; a.cache = v; i += 1
            case "--jsonl": guard let v = value else { return nil }; a.jsonl = v; i += 1
            case "--externals": guard let v = value, v == "per-file" || v == "empty" else { return nil }
                a.perFileExternals = v == "per-file"; i += 1
            default: rest.append(arg)
            }
            i += 1
        }
        guard rest.count >= 2, let root = rest.last else { return nil }
        a.root = root
        a.ruleDirs = Array(rest.dropLast())
        return a
    }
}

func log(_ text: String) { FileHandle.standardError.write(Data(("[yara-engine-bench] " + text + "\n").utf8)) }

guard let args = Arguments.parse(Array(CommandLine.arguments.dropFirst())) else {
    log("usage: yara-engine-bench [--threads N] [--cache DIR] [--jsonl OUT] [--externals per-file|empty] RULEDIR... ROOT")
    exit(2)
}

let start = Date()
let files = RuleFileDiscovery.ruleFiles(in: args.ruleDirs).map(\.path)
let rules: YaraRules
do {
    rules = try YaraRules(files: files, cacheDirectory: args.cache)
} catch {
    log("rules: \(error)")
    exit(1)
}
for failure in rules.failures { log("rule file skipped: \(failure)") }
log("rule files: \(rules.attempted.count) attempted, \(rules.compiled.count) compiled, \(rules.failures.count) failed; "
    + "rules: \(rules.rules.count) (\(rules.rules.count - rules.publicRuleCount) private); "
    + String(format: "%.2f s%@", Date().timeIntervalSince(start), rules.loadedFromCache ? " (cache)" : ""))

let scanStart = Date()
let absoluteRoot = args.root.hasPrefix("/") ? args.root : FileManager.default.currentDirectoryPath + "/" + args.root
let walked = TreeWalk.files(under: absoluteRoot)
let outcome = ParallelScan.run(files: walked, rules: rules, threads: args.threads, perFileExternals: args.perFileExternals)
let results = outcome.rules
let seconds = Date().timeIntervalSince(scanStart)

let bytes = walked.reduce(Int64(0)) { $0 + $1.size }
let pairs = results.reduce(0) { $0 + $1.count }
let errors = outcome.errors
log("\(walked.count) files, \(results.filter { !$0.isEmpty }.count) matched, \(pairs) pairs, \(errors) errors; "
    + String(format: "%.2f s, %.0f files/s, %.1f MB/s, %d threads", seconds, Double(walked.count) / seconds,
             Double(bytes) / 1e6 / seconds, args.threads))

if let out = args.jsonl {
    var text = ""
    let rootPrefix = Array(absoluteRoot.utf8).count + 1
    for (file, ruleNames) in zip(walked, results) where !ruleNames.isEmpty {
        let relative = String(decoding: file.path.dropFirst(rootPrefix), as: UTF8.self)
        let quoted = ruleNames.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        text += "{\"path\": \(JSONString.quote(relative)), \"rules\": [\(quoted)]}\n"
    }
    guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
        log("cannot write \(out)")
        exit(1)
    }
}
