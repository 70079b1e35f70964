import TestSupport
import XCTest
@testable import Host

final class WalkerTests: XCTestCase {
    private func walk(_ root: String, excludes: [String] = []) throws -> (files: [String], excluded: [String], errors: [String]) {
        var options = FileWalker.Options()
        options.excludes = try PatternList(patterns: excludes, kind: "exclude pattern")
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

    /// A root that is a link (as /bin is on Debian) is walked where it points; links inside it are not followed.
    func testARootThatIsASymlinkIsFollowedOnce() throws {
        let target = try temporaryFolder("target"), links = try temporaryFolder("links"), outside = try temporaryFolder("outside")
        try target.write("bin/tool", "x")
        try outside.write("secret.txt", "y")
        try FileManager.default.createSymbolicLink(atPath: target.path + "/bin/elsewhere", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: links.path + "/bin", withDestinationPath: target.path + "/bin")
        try FileManager.default.createSymbolicLink(atPath: links.path + "/tool", withDestinationPath: target.path + "/bin/tool")
        let real = try XCTUnwrap(URL(fileURLWithPath: target.path).resolvingSymlinksInPath().path)

        XCTAssertEqual(try walk(links.path + "/bin").errors, [])
        var files: [String] = []
        FileWalker(options: .init()).walk(links.path + "/bin") { event in
            if case .file(let f) = event { files.append(f.path) }
            return true
        }
        XCTAssertEqual(files, [real + "/bin/tool"])
        files = []
        FileWalker(options: .init()).walk(links.path + "/tool") { event in
            if case .file(let f) = event { files.append(f.path) }
            return true
        }
        XCTAssertEqual(files, [real + "/bin/tool"])
    }

    /// A device or pipe named as a path is not read (a pipe could block the walk for ever): an error that says what it is.
    func testARootThatIsNeitherFileNorFolderIsAnError() throws {
        var errors: [String] = []
        var files = 0
        FileWalker(options: .init()).walk("/dev/null") { event in
            if case .error(let p, let why) = event { errors.append("\(p): \(why)") }
            if case .file = event { files += 1 }
            return true
        }
        XCTAssertEqual(errors, ["/dev/null: not a regular file or a folder (character device)"])
        XCTAssertEqual(files, 0)
    }

    /// A folder given twice, or inside another given folder, is walked once.
    func testRootsCoveredByAnotherAreNotWalkedAgain() throws {
        let top = try temporaryFolder("roots")
        try top.write("a/b/file.txt", "x")
        try top.write("c/file.txt", "x")
        let link = try temporaryFolder("links").path + "/to-b"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: top.path + "/a/b")
        let given = [top.path + "/a/b", top.path + "/c", top.path + "/a/", link, top.path + "/c/../c", "/no/such/path"]
        XCTAssertEqual(ScanRoots.plan(given).map(\.coveredBy), [
            top.path + "/a/",    // inside a, given later
            nil,
            nil,
            top.path + "/a/b",   // the same folder as the first, through a link
            top.path + "/c",     // the same folder, named again
            nil,                 // not there: walked, and the walk says so
        ])
        XCTAssertEqual(ScanRoots.plan(["/", "/tmp", "/"]).map(\.coveredBy), [nil, "/", "/"])
    }

    func testExcludesApplyToFilesAndDirectories() throws {
        let root = try temporaryFolder()
        for p in ["keep/one.txt", "skipdir/two.txt", "keep/three.nsf", "keep/four.txt"] { try root.write(p, "x") }
        let result = try walk(root.path, excludes: ["/skipdir$", "\\.nsf$"])
        XCTAssertEqual(result.files, ["/keep/four.txt", "/keep/one.txt"])
        XCTAssertEqual(result.excluded, ["/keep/three.nsf", "/skipdir"])
    }

    func testBadExcludePatternIsAClearError() {
        XCTAssertThrowsError(try PatternList(fileText: "ok\n(unclosed\n", source: "x.cfg", kind: "exclude pattern")) { error in
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
