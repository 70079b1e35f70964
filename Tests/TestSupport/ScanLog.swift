import Foundation
import XCTest

/// The logs a scan writes into its output folder (`-e`).
public enum ScanLog {
    /// The lines of the one file in `directory` whose name ends in `suffix` (".txt", ".json"); when
    /// there is not exactly one, fails the test (with `context`, e.g. the console) and returns none.
    public static func lines(in directory: String, suffix: String, context: String = "",
                             file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }
        guard logs.count == 1 else {
            XCTFail("expected one *\(suffix) in \(directory), found \(logs)\n\(context)", file: file, line: line)
            return []
        }
        return try String(contentsOfFile: directory + "/" + logs[0], encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
