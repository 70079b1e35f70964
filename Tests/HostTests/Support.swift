import Foundation
import TestSupport
import XCTest

/// Shared helpers of the host tests: running the built `thor`, writing files, reading its logs.
enum Support {
    /// The `thor` that `swift build` made; the README's test command builds it first.
    static func thorBinary() throws -> String { try BuildProducts.thor() }

    typealias Run = ChildProcess.Result

    /// Runs a program and waits; `user` runs it as that user through setpriv (root only).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], user: String? = nil, cwd: String? = nil) throws -> Run {
        try ChildProcess.run(executable, arguments, cwd: cwd, user: user)
    }

    static func runThor(_ arguments: [String], user: String? = nil, cwd: String? = nil) throws -> Run {
        // No CPU pause and no lowered priority: test machines are busy, and a worker at nice 19 next to
        // other jobs can miss a test's deadline (the fault tests race a 2 s deadline against 256 MB).
        try run(thorBinary(), arguments + ["--nocolor", "--nocpulimit", "--nolowprio"], user: user, cwd: cwd)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The lines of the single file in `directory` whose name ends in `suffix`.
    static func logLines(in directory: String, suffix: String) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }
        guard files.count == 1 else { XCTFail("expected one *\(suffix) in \(directory), found \(files)"); return [] }
        return try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
