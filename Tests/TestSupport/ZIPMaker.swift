import Foundation
import XCTest

/// ZIP archives for tests, written by Python's zipfile (an independent writer).
public enum ZIPMaker {
    /// A ZIP of `members` (name, content, deflated?) at `path`; skips the test without python3.
    @discardableResult
    public static func make(_ members: [(String, Data, Bool)], at path: String) throws -> Data {
        let folder = (path as NSString).deletingLastPathComponent
        var script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\n"
        for (i, member) in members.enumerated() {
            let file = folder + "/.zip-member-\(i)"
            try member.1.write(to: URL(fileURLWithPath: file))
            script += "z.write(\(pythonString(file)), \(pythonString(member.0)), \(member.2 ? "zipfile.ZIP_DEFLATED" : "zipfile.ZIP_STORED"))\n"
        }
        script += "z.close()\n"
        let run = try ChildProcess.run("/usr/bin/python3", ["-c", script, path])
        for i in members.indices { try? FileManager.default.removeItem(atPath: folder + "/.zip-member-\(i)") }
        guard run.status == 0 else { throw XCTSkip("python3 could not write a ZIP: \(run.stderr)") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    private static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
