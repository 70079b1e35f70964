import Foundation
import TestSupport
import XCTest

/// Runs the `thor` this package built (`swift build`), with the evtx and sigma modules beside it.
enum ThorBinary {
    static let buildDir = BuildProducts.buildDir

    /// The JSON objects of the JSON lines log and the console output of one scan.
    struct Scan {
        var status: Int32
        var console: String
        var log: [[String: Any]]

        /// The "THOR finding" objects, by subject path.
        var findings: [[String: Any]] {
            log.filter { $0["type"] as? String == "THOR finding" }
                .sorted { (($0["subject"] as? [String: Any])?["path"] as? String ?? "") < (($1["subject"] as? [String: Any])?["path"] as? String ?? "") }
        }
    }

    static func scan(_ arguments: [String], outputDir: String) throws -> Scan {
        let thor = try BuildProducts.thor(with: ["libthor-evtx.so", "libthor-sigma.so"])
        let run = try ChildProcess.run(thor, arguments + ["--plugin-dir", buildDir, "--json", "-e", outputDir, "--nocolor"], mergeOutput: true)
        let log = try ScanLog.lines(in: outputDir, suffix: ".json", context: run.stdout).map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
        return Scan(status: run.status, console: run.stdout, log: log)
    }
}
