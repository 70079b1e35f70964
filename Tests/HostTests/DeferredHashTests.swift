import Foundation
import TestSupport
import XCTest

/// THOR_CAP_NO_HASHES: when every module that accepts a file says it does not read the digests,
/// only files with findings are hashed, and their log lines still carry exact digests.
final class DeferredHashTests: XCTestCase {
    /// A content module that logs whether it saw an md5 field and flags files starting with "HIT";
    /// `requireHashes`: its init asks for the digests (ABI 1.2) whatever its caps say.
    private static func module(name: String, caps: String, minor: String = "THOR_ABI_MINOR", requireHashes: Bool = false) -> String {
        """
        #include <stdio.h>
        #include <string.h>
        #include "thor_plugin.h"
        #define S(lit) ((thor_str){ lit, sizeof(lit) - 1 })
        __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_major = THOR_ABI_MAJOR;
        __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_minor = \(minor);
        static const thor_host_api *host;
        static thor_status m_init(const thor_init_args *a, void **inst) {
            *inst = 0;
            return \(requireHashes ? "a->host->require_hashes(a->ctx)" : "THOR_OK");
        }
        static thor_status m_scan(void *inst, const thor_object *o, void *ctx) {
            (void)inst;
            thor_str md5 = S("absent");
            for (size_t i = 0; i < o->n_fields; i++)
                if (o->fields[i].key.len == 3 && !memcmp(o->fields[i].key.ptr, "md5", 3)) md5 = o->fields[i].value;
            char line[512];
            int n = snprintf(line, sizeof line, "\(name) saw %.*s md5=%.*s", (int)o->name.len, o->name.ptr, (int)md5.len, md5.ptr);
            host->log(ctx, THOR_LOG_INFO, (thor_str){ line, (size_t)n });
            if (!o->content || !o->content->map || o->content->size < 3 || memcmp(o->content->map, "HIT", 3)) return THOR_OK;
            thor_finding f = { .struct_size = sizeof f, .rule_name = S("HIT_\(name)"), .sig_class = S("Test"), .score = 85 };
            return host->emit_finding(ctx, &f);
        }
        static const thor_plugin d = {
            .struct_size = sizeof d, .abi_major = THOR_ABI_MAJOR, .abi_minor = \(minor), .name = S("\(name)"),
            .version = S("1"), .caps = \(caps), .object_kinds = THOR_KIND_BIT(THOR_OBJ_FILE), .init = m_init, .scan = m_scan,
        };
        __attribute__((visibility("default"))) const thor_plugin *thor_plugin_entry(const thor_host_api *h) { host = h; return &d; }
        """
    }

    private func makePlugins() throws -> String {
        let dir = try temporaryFolder("plugins").path
        try CModule.build(text: Self.module(name: "nohash", caps: "THOR_CAP_NEEDS_CONTENT | THOR_CAP_NO_HASHES"), named: "nohash", into: dir)
        // Built against ABI 1.0: it cannot know the bit and must get the digests.
        try CModule.build(text: Self.module(name: "oldmod", caps: "THOR_CAP_NEEDS_CONTENT", minor: "0"), named: "oldmod", into: dir)
        try CModule.build(text: Self.module(name: "asker", caps: "THOR_CAP_NEEDS_CONTENT | THOR_CAP_NO_HASHES", requireHashes: true),
                          named: "asker", into: dir)
        return dir
    }

    /// A 5 MB file (above ContentReader.mapThreshold, so workers map it), a small one, a clean one.
    private func makeTree() throws -> String {
        let tree = try temporaryFolder("tree")
        var state: UInt32 = 88_172_645
        var big = Array("HIT".utf8)
        big += (0..<(5 << 20)).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        try tree.write("big.bin", Data(big))
        try tree.write("small.txt", "HIT small\n")
        try tree.write("clean.txt", "nothing here\n")
        return tree.path
    }

    func testOnlyFilesWithFindingsAreHashedAndTheirLinesCarryExactDigests() throws {
        let plugins = try makePlugins()
        let tree = try makeTree()
        for isolation in [[], ["--no-isolation"]] {
            let out = try temporaryFolder("out").path
            let run = try Support.runThor(["--plugin-dir", plugins, "--modules", "nohash", "--intense", "-p", tree, "-e", out] + isolation)
            XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
            let text = try ScanLog.lines(in: out, suffix: ".txt")
            for name in ["big.bin", "small.txt", "clean.txt"] {
                XCTAssertEqual(text.filter { $0.contains("nohash saw \(name) md5=absent") }.count, 1, "\(isolation) \(name)")
            }
            let findings = text.filter { $0.contains("MODULE: Filescan") && $0.contains("HIT_nohash") }
            XCTAssertEqual(findings.count, 2, findings.joined(separator: "\n"))
            for name in ["big.bin", "small.txt"] {
                let line = try XCTUnwrap(findings.first { $0.contains("FILE: \(tree)/\(name) ") })
                for (tool, key) in [("md5sum", "MD5"), ("sha1sum", "SHA1"), ("sha256sum", "SHA256")] {
                    let hex = try ChildProcess.digest(tool, of: tree + "/" + name)
                    XCTAssertEqual(hex.count, key == "MD5" ? 32 : key == "SHA1" ? 40 : 64)
                    XCTAssertTrue(line.contains(" \(key): \(hex) "), "\(isolation) \(key) \(hex) not in \(line)")
                }
            }
            let end = try XCTUnwrap(text.last)
            XCTAssertTrue(end.contains(" ALERTS: 2 WARNINGS: 0 NOTICES: 0 ERRORS: 0 FILES: 3 "), end)
        }
    }

    func testAModuleWithoutTheBitGetsTheDigests() throws {
        try assertEveryModuleSeesTheDigests(of: ["nohash", "oldmod"])
    }

    func testAModuleThatAsksDuringInitGetsTheDigests() throws {
        try assertEveryModuleSeesTheDigests(of: ["nohash", "asker"])
    }

    private func assertEveryModuleSeesTheDigests(of modules: [String]) throws {
        let plugins = try makePlugins()
        let tree = try makeTree()
        let out = try temporaryFolder("out").path
        let run = try Support.runThor(["--plugin-dir", plugins, "--modules", modules.joined(separator: ","), "--intense", "-p", tree, "-e", out])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let text = try ScanLog.lines(in: out, suffix: ".txt")
        let md5 = "da2483a95bdf581f3a966cab73e607d6" // of "nothing here\n"
        XCTAssertEqual(try ChildProcess.digest("md5sum", of: tree + "/clean.txt"), md5)
        for module in modules {
            XCTAssertEqual(text.filter { $0.contains("\(module) saw clean.txt md5=\(md5)") }.count, 1, "\(module):\n" + text.joined(separator: "\n"))
            XCTAssertEqual(text.filter { $0.contains("\(module) saw") && $0.contains("md5=absent") }.count, 0, module)
        }
    }
}
