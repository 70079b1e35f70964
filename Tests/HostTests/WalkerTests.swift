import TestSupport
import XCTest
@testable import Host

final class WalkerTests: XCTestCase {
    private func walk(_ root: String, excludes: [String] = []) throws -> (files: [String], excluded: [String], errors: [String]) {
        var options = FileWalker.Options()
        options.excludes = try PathExcludes(patterns: excludes)
        var files: [String] = [], excluded: [String] = [], errors: [String] = []
        FileWalker(options: options).walk(root) { event in
            switch event {
            case .file(let f): files.append(String(f.path.dropFirst(root.count)))
            case .excluded(let p): excluded.append(String(p.dropFirst(root.count)))
            case .error(let p, _): errors.append(p)
            case .skippedFileSystem: break
            }
            return true
        }
        return (files.sorted(), excluded.sorted(), errors)
    }

    func testSymlinksAreNotFollowed() throws {
        let root = try temporaryFolder(), outside = try temporaryFolder("outside")
        try root.write("a/file.txt", "x")
        let secret = try outside.write("secret.txt", "y")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/link-to-dir", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/link-to-file", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/loop", withDestinationPath: root.path)
        let result = try walk(root.path)
        XCTAssertEqual(result.files, ["/a/file.txt"])
        XCTAssertEqual(result.errors, [])
    }

    func testExcludesApplyToFilesAndDirectories() throws {
        let root = try temporaryFolder()
        for p in ["keep/one.txt", "skipdir/two.txt", "keep/three.nsf", "keep/four.txt"] { try root.write(p, "x") }
        let result = try walk(root.path, excludes: ["/skipdir$", "\\.nsf$"])
        XCTAssertEqual(result.files, ["/keep/four.txt", "/keep/one.txt"])
        XCTAssertEqual(result.excluded, ["/keep/three.nsf", "/skipdir"])
    }

    func testBadExcludePatternIsAClearError() {
        XCTAssertThrowsError(try PathExcludes(fileText: "ok\n(unclosed\n", source: "x.cfg")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x.cfg: exclude pattern '(unclosed': "), "\(error)")
        }
    }

    func testMissingRootIsAnErrorEvent() throws {
        let result = try walk("/nonexistent-\(UUID().uuidString)")
        XCTAssertEqual(result.files, [])
        XCTAssertEqual(result.errors.count, 1)
    }

    func testPseudoFileSystemsAreSkipped() {
        var skipped: [String] = []
        var files = 0
        FileWalker(options: .init()).walk("/proc") { event in
            if case .skippedFileSystem(let p, _) = event { skipped.append(p) }
            if case .file = event { files += 1 }
            return true
        }
        XCTAssertEqual(skipped, ["/proc"])
        XCTAssertEqual(files, 0)
    }

    func testDeepTreesDoNotRecurse() throws {
        let root = try temporaryFolder()
        try root.write((0..<200).map { "d\($0)/" }.joined() + "leaf.txt", "deep")
        XCTAssertEqual(try walk(root.path).files.count, 1)
    }
}
