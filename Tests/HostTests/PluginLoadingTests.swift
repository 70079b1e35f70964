import TestSupport
import XCTest

/// Each loading check, proven with a crafted module built by cc and the real `thor`.
final class PluginLoadingTests: XCTestCase {
    private func listing(_ variants: [(String, CraftedModules.Variant)], mode: mode_t = 0o755, folderMode: mode_t = 0o755) throws -> [String: String] {
        let dir = try temporaryFolder().path
        for (file, variant) in variants {
            let lib = try CModule.build(text: CraftedModules.source(variant), named: file, into: dir)
            chmod(lib, mode)
        }
        chmod(dir, folderMode)
        let run = try Support.runThor(["--plugin-dir", dir, "--list-plugins"])
        XCTAssertEqual(run.status, 0, run.stderr)
        var states: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") where line.contains(dir) {
            let path = String(line.split(separator: " ").last!)
            let file = String(path.split(separator: "/").last!)
            states[file] = line.replacingOccurrences(of: " " + path, with: "").split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).joined(separator: " ")
        }
        return states
    }

    func testEachRefusalNamesTheFailedCheck() throws {
        var v = CraftedModules.Variant()
        var cases: [(String, CraftedModules.Variant)] = []
        v.name = "good"; cases.append(("good", v))
        v = .init(); v.name = "major"; v.major = "2"; cases.append(("major", v))
        v = .init(); v.name = "minor"; v.minor = "7"; cases.append(("minor", v))
        v = .init(); v.name = "nosyms"; v.abiSymbols = false; cases.append(("nosyms", v))
        v = .init(); v.name = "noentry"; v.entry = false; cases.append(("noentry", v))
        v = .init(); v.name = "null"; v.entryReturnsNull = true; cases.append(("null", v))
        v = .init(); v.name = "initfails"; v.initStatus = "THOR_E_IO"; cases.append(("initfails", v))
        v = .init(); v.name = "future"; v.minHostVersion = "9.0"; cases.append(("future", v))
        let states = try listing(cases)
        XCTAssertEqual(states["libgood.so"], "loaded")
        XCTAssertEqual(states["libmajor.so"], "refused: ABI major version 2, host speaks 1")
        XCTAssertEqual(states["libminor.so"], "refused: ABI minor version 7 is newer than the host's 2")
        XCTAssertEqual(states["libnosyms.so"], "refused: missing symbol thor_plugin_abi_major")
        XCTAssertEqual(states["libnoentry.so"], "refused: missing symbol thor_plugin_entry")
        XCTAssertEqual(states["libnull.so"], "refused: thor_plugin_entry returned no descriptor")
        XCTAssertEqual(states["libinitfails.so"], "refused: init failed with status E_IO")
        XCTAssertEqual(states["libfuture.so"], "refused: needs host version 9.0, this host is 1.0.0")
    }

    func testLibrariesWritableByOthersAreRefused() throws {
        var v = CraftedModules.Variant()
        v.name = "open"
        let states = try listing([("open", v)], mode: 0o757)
        XCTAssertEqual(states["libopen.so"], "refused: file is writable by others (mode 757)")
    }

    func testFoldersWritableByOthersAreRefused() throws {
        var v = CraftedModules.Variant()
        v.name = "inopen"
        let states = try listing([("inopen", v)], folderMode: 0o777)
        XCTAssertEqual(states["libinopen.so"]?.hasPrefix("refused: folder "), true)
        XCTAssertEqual(states["libinopen.so"]?.hasSuffix(" is writable by others (mode 777)"), true)
    }

    func testModuleSelectionIsCaseInsensitiveAndUnknownNamesAreErrors() throws {
        let dir = try temporaryFolder().path
        for name in ["alpha", "beta"] {
            var v = CraftedModules.Variant()
            v.name = name
            try CModule.build(text: CraftedModules.source(v), named: name, into: dir)
        }
        let tree = try temporaryFolder("tree").path
        try "hello".write(toFile: tree + "/a.txt", atomically: false, encoding: .utf8)
        let run = try Support.runThor(["--plugin-dir", dir, "--modules", "ALPHA", "-p", tree, "-e", tree, "--nolog"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("Active modules: alpha MODE: 1 worker process(es)\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("RULENAME_1: CRAFTED_Seen"), run.stdout)
        let unknown = try Support.runThor(["--plugin-dir", dir, "--modules", "alpha,gamma", "-p", tree, "--nolog"])
        XCTAssertEqual(unknown.status, 3)
        // The modules built beside `thor` are available too (the search adds folders, it does not replace).
        XCTAssertTrue(unknown.stderr.hasPrefix("thor: error: unknown module(s): gamma; available: alpha, archive, beta"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasSuffix("\n") && !unknown.stderr.dropLast().contains("\n"), unknown.stderr)
    }

    func testUnreadablePluginFolderIsAClearError() throws {
        let file = try temporaryFolder().write("not-a-folder", "x")
        let run = try Support.runThor(["--plugin-dir", file, "--list-plugins"])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(run.stderr, "thor: error: cannot read plugin folder \(file): Not a directory\n")
    }
}
