import Foundation
import PluginABI
import PluginKit
import TestSupport
import XCTest
@testable import SigmaModule

/// The `sigma` module through the C ABI, with a minimal host that records findings and log lines.
final class SigmaModuleTests: XCTestCase {
    nonisolated(unsafe) static var findings: [(rule: String, sigClass: String, sigType: String, score: Int32,
                                               tags: [String], matches: [String], extra: [String: String])] = []
    nonisolated(unsafe) static var logs: [String] = []
    nonisolated(unsafe) static var versions: [String] = []

    static let host: UnsafePointer<thor_host_api> = {
        let table = UnsafeMutablePointer<thor_host_api>.allocate(capacity: 1)
        table.initialize(to: thor_host_api(
            struct_size: UInt32(MemoryLayout<thor_host_api>.size),
            abi_major: UInt16(THOR_ABI_MAJOR), abi_minor: UInt16(THOR_ABI_MINOR), host_version: thor_str(ptr: nil, len: 0),
            log: { _, _, message in SigmaModuleTests.logs.append(message.string) },
            emit_finding: { _, f in
                guard let f = f?.pointee else { return THOR_E_INVALID_ARG }
                var extra: [String: String] = [:]
                for i in 0..<f.n_extra { if let kv = f.extra?[i] { extra[kv.key.string] = kv.value.string } }
                SigmaModuleTests.findings.append((
                    f.rule_name.string, f.sig_class.string, f.sig_type.string, f.score,
                    (0..<f.n_tags).compactMap { f.tags?[$0].string },
                    (0..<f.n_matches).compactMap { i in f.matches.map { "\($0[i].field.string)=\($0[i].data.string)" } },
                    extra))
                return THOR_OK
            },
            emit_child: nil, should_abort: nil, add_type_tag: nil,
            report_version: { _, component, version in
                SigmaModuleTests.versions.append("\(component.string)=\(version.string)")
                return THOR_OK
            },
            require_hashes: nil))
        return UnsafePointer(table)
    }()

    func testModuleEmitsOneSigmaFindingPerMatchingRuleAndHonoursMinimumLevel() throws {
        let root = try temporaryFolder("sigma-module").path
        try FileManager.default.createDirectory(atPath: root + "/signatures/sigma", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/config", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CorpusPaths.mappingFile, toPath: root + "/config/sigma.yml")
        let rule = { (level: String, id: String) in SigmaTestSupport.ruleYAML(
            detection: "sel:\n    CommandLine|contains: 'vssadmin delete shadows'\ncondition: sel", level: level,
            logsource: "    category: process_creation\n    product: windows").replacingOccurrences(
            of: "00000000-0000-0000-0000-000000000001", with: id) }
        try rule("high", "id-high").write(toFile: root + "/signatures/sigma/high.yml", atomically: true, encoding: .utf8)
        try rule("medium", "id-medium").write(toFile: root + "/signatures/sigma/medium.yml", atomically: true, encoding: .utf8)
        // The rule set's version is its newest file's time: 2030-01-02 03:04:05 UTC.
        var times = [timespec(tv_sec: 1_893_553_445, tv_nsec: 0), timespec(tv_sec: 1_893_553_445, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, root + "/signatures/sigma/medium.yml", &times, 0), 0)
        SigmaModuleTests.versions = []

        let plugin = try XCTUnwrap(thorPluginEntry(SigmaModuleTests.host)).pointee
        XCTAssertEqual(plugin.name.string, "sigma")
        XCTAssertEqual(plugin.object_kinds, 1 << THOR_OBJ_EVENT)

        for (intense, expectedRules) in [(false, ["id-high"]), (true, ["id-high", "id-medium"])] {
            SigmaModuleTests.findings = []
            let arena = StringArena()
            let options = intense ? [thor_kv(key: arena.str("intense"), value: arena.str("1"))] : []
            let dirs = [arena.str(root + "/signatures")]
            var args = thor_init_args(struct_size: UInt32(MemoryLayout<thor_init_args>.size), host: SigmaModuleTests.host,
                                      ctx: nil, options: arena.array(options), n_options: options.count,
                                      signature_dirs: arena.array(dirs), n_signature_dirs: 1, cache_dir: arena.str("/tmp"))
            var instance: UnsafeMutableRawPointer?
            XCTAssertEqual(plugin.`init`(&args, &instance), THOR_OK)
            let fields = [("EventID", "1"), ("Channel", "Microsoft-Windows-Sysmon/Operational"),
                          ("CommandLine", "vssadmin delete shadows /all"), ("Image", "C:\\x\\vssadmin.exe")]
                .map { thor_kv(key: arena.str($0.0), value: arena.str($0.1)) }
            var object = thor_object(struct_size: UInt32(MemoryLayout<thor_object>.size), kind: THOR_OBJ_EVENT, depth: 1,
                                     path: arena.str("x.evtx|1"), name: arena.str("1"), type: arena.str(""),
                                     type_tags: nil, n_type_tags: 0, fields: arena.array(fields), n_fields: fields.count,
                                     content: nil)
            XCTAssertEqual(plugin.scan(instance, &object, nil), THOR_OK)
            XCTAssertEqual(SigmaModuleTests.findings.map { $0.extra["RULE_ID"] ?? "" }, expectedRules)
            let first = try XCTUnwrap(SigmaModuleTests.findings.first)
            XCTAssertEqual(first.rule, "Test Rule")
            XCTAssertEqual(first.sigClass, "Sigma Rule")
            XCTAssertEqual(first.sigType, "internal")
            XCTAssertEqual(first.score, 70)
            XCTAssertEqual(first.tags, ["attack.execution", "attack.t1059"])
            XCTAssertEqual(first.matches, ["CommandLine=vssadmin delete shadows /all"])
            XCTAssertEqual(SigmaModuleTests.findings.map(\.score), intense ? [70, 50] : [70])
        }
        XCTAssertTrue(SigmaModuleTests.logs.contains("Sigma: 1 rules loaded, 0 skipped, 1 below minimum level high"))
        XCTAssertEqual(SigmaModuleTests.versions, ["sigma=2030/01/02-030405", "sigma=2030/01/02-030405"], "one report per init")
    }

    func testMissingMappingFailsInitWithTHORsMessage() throws {
        let arena = StringArena()
        let options = [thor_kv(key: arena.str("sigma-config"), value: arena.str("/nonexistent/sigma.yml"))]
        var args = thor_init_args(struct_size: UInt32(MemoryLayout<thor_init_args>.size), host: SigmaModuleTests.host,
                                  ctx: nil, options: arena.array(options), n_options: 1,
                                  signature_dirs: nil, n_signature_dirs: 0, cache_dir: arena.str("/tmp"))
        let plugin = try XCTUnwrap(thorPluginEntry(SigmaModuleTests.host)).pointee
        var instance: UnsafeMutableRawPointer?
        SigmaModuleTests.logs = []
        XCTAssertEqual(plugin.`init`(&args, &instance), THOR_E_INVALID_ARG)
        XCTAssertEqual(SigmaModuleTests.logs, ["could not parse sigma log sources: /nonexistent/sigma.yml: cannot read file"])
    }
}
