import Foundation
import TestSupport
import XCTest
@testable import IOCEngine

final class FilenameIOCTests: XCTestCase {
    func testScoresOfOneStringAreSummedAndFalsePositiveRegexCancels() throws {
        let dir = try temporaryFolder()
        let file = try dir.write("custom-filename-iocs.txt", """
            # PsExec from outside SysInternals
            \\\\PsExec\\.exe;60;\\\\SysInternals\\\\
            # Noisy folder
            \\\\directory_with_many_false_positives\\\\;-30
            # Plain word, no regex characters: case-insensitive
            evilname;15
            \\\\Temp\\\\[^\\\\]+\\.exe$;10
            broken[regex;50
            \\\\x\\.exe;notanumber
            justoneField
            """)
        let set = IOCSet(directories: [dir.path])
        XCTAssertEqual(set.diagnostics, [
            IOCDiagnostic(file: file, line: 8, message: "invalid regular expression \"broken[regex\""),
            IOCDiagnostic(file: file, line: 9, message: "score is not an integer in -100...100: \"notanumber\""),
            IOCDiagnostic(file: file, line: 10, message: "expected REGEX;SCORE[;FP_REGEX], got 1 field(s)"),
        ])
        XCTAssertEqual(set.filenames.iocs.count, 4)

        let m1 = try XCTUnwrap(set.filenames.match("C:\\Users\\x\\AppData\\Local\\Temp\\PsExec.exe"))
        XCTAssertEqual(m1.hits.map(\.ioc.line), [2, 7])
        XCTAssertEqual(m1.hits.map(\.matched), ["\\PsExec.exe", "\\Temp\\PsExec.exe"])
        XCTAssertEqual(m1.hits.first?.ioc.description, "PsExec from outside SysInternals")
        XCTAssertEqual(m1.score, 70)

        XCTAssertNil(set.filenames.match("C:\\Tools\\SysInternals\\PsExec.exe"), "the FP regex cancels the IOC")
        XCTAssertEqual(set.filenames.match("D:\\directory_with_many_false_positives\\PsExec.exe")?.score, 30, "60 + -30")
        XCTAssertEqual(set.filenames.match("/home/EvilName/x")?.score, 15)
        XCTAssertNil(set.filenames.match("C:\\temp\\psexec.EXE"), "patterns with regex characters are case-sensitive")
    }

    func testRequiredLiteralPrefilter() {
        func lits(_ p: String) -> [String]? { RegexLiteral.required(p).map { $0.map { String(decoding: $0, as: UTF8.self) } } }
        func lit(_ p: String) -> String? { lits(p).map { $0.joined(separator: "|") } }
        XCTAssertEqual(lit("\\\\usbclass\\.sys"), "\\usbclass.sys")
        XCTAssertEqual(lit("(?i)\\\\procdump(64)?(a)?\\.(exe|zip)"), "\\procdump")
        XCTAssertEqual(lit("abcd?ef"), "abc")
        XCTAssertEqual(lit("ab+cdef"), "cdef")
        XCTAssertEqual(lit("x{0,3}yzw"), "yzw")
        XCTAssertNil(lit("abc|def"))
        XCTAssertNil(lit("[a-z]+\\d{4}"))
        // A group of plain alternatives fans the run out; the set is worth its shortest member.
        XCTAssertEqual(lits("\\\\[0-9]\\.(exe|dll)$"), [".exe", ".dll"])
        XCTAssertEqual(lits("(temp|tmp)\\\\[a-z]\\.(zip|exe|txt)$"), ["temp\\", "tmp\\"], "as long, fewer members")
        XCTAssertEqual(lits("\\\\(?:g64\\-|\\\\gse\\.exe)"), ["\\g64-", "\\\\gse.exe"])
        XCTAssertEqual(lit("ab(cd|ef)?ghij"), "ghij", "an optional group ends the run")
        XCTAssertEqual(lits("(ab|c)\\.sys"), ["ab.sys", "c.sys"])
        XCTAssertNil(lit("x(a|b)"))
        // Extended mode (anywhere in the pattern) gives spaces another meaning: no prefilter.
        XCTAssertNil(lit("(?x)evil tool\\.exe"))
        XCTAssertNil(lit("abcdef(?x: g h)"))
        XCTAssertEqual(lit("(?i)evil\\.exe"), "evil.exe")
        // An escaped backslash before Q is not a \Q quote.
        XCTAssertEqual(lit("\\\\QuickPee\\.exe"), "\\QuickPee.exe")
    }

    /// signature-base's filename IOCs: all lines load, and known entries score as written.
    func testSignatureBaseFilenameIOCs() throws {
        var set = IOCSet()
        set.load(path: try BuildProducts.requireSignatureBase("iocs/filename-iocs.txt"))
        XCTAssertEqual(set.diagnostics.map(\.description), [])
        XCTAssertEqual(set.filenames.iocs.count, 3828)
        // Every pattern has a certain literal (or set of literals, `\.(exe|dll)`) of 3+ bytes, so
        // each regex runs only on strings that contain one.
        XCTAssertEqual(set.filenames.unfilteredCount, 0)
        let regin = try XCTUnwrap(set.filenames.match("C:\\Windows\\System32\\drivers\\usbclass.sys"))
        XCTAssertEqual(regin.hits.map(\.ioc.description), ["Regin"])
        XCTAssertEqual(regin.score, 80)
        XCTAssertNil(set.filenames.match("C:\\Program Files\\WhatsApp\\whatsapp.exe"), "its FP regex cancels line 250")
        XCTAssertEqual(set.filenames.match("C:\\Users\\x\\Downloads\\whatsapp.exe")?.hits.map(\.ioc.line), [250])
    }

    /// The prefilter only saves work: on paths made to hit the patterns that need literal sets, and
    /// on this package's own file paths, the IOCs found equal those of running every regex.
    func testPrefilterFindsWhatEveryRegexFinds() throws {
        var set = IOCSet()
        set.load(path: try BuildProducts.requireSignatureBase("iocs/filename-iocs.txt"))
        var paths = [
            "C:\\Users\\bob\\AppData\\x.exe", "C:\\Users\\bob\\Desktop\\run.ps1", "\\7.exe", "C:\\Temp\\a.zip",
            "c:\\ab.exe", "D:\\q.vbs", "C:\\Intel\\update.dll", "C:\\Windows\\Debug\\x.exe", "\\perflogs\\job.bat",
            "\\wp-content\\shell.exe", "\\images\\x.dll", "\\12345678.aspx", "\\3.php", "\\QuickPee.exe",
            "/System/Library/Graphics/Quartz", "\\Library\\Graphics\\Quartz", "\\gsecdump.exe", "report.pdf.exe",
            "C:\\Recovery\\x.ps1", "name       .exe", "tmp\\x.txt", "\\g64-x",
        ]
        let root = BuildProducts.packageRoot
        let walker = FileManager.default.enumerator(atPath: root + "/Sources")
        while let path = walker?.nextObject() as? String { paths.append(root + "/Sources/" + path) }
        var matched = 0
        for text in paths {
            let whole = NSRange(location: 0, length: (text as NSString).length)
            let everyRegex = set.filenames.iocs.indices.filter { index in
                let ioc = set.filenames.iocs[index]
                return ioc.regex.firstMatch(in: text, range: whole) != nil && ioc.falsePositiveRegex?.firstMatch(in: text, range: whole) == nil
            }
            let prefiltered = set.filenames.match(text)?.hits.map { "\($0.ioc.file):\($0.ioc.line)" } ?? []
            XCTAssertEqual(prefiltered, everyRegex.map { "\(set.filenames.iocs[$0].file):\(set.filenames.iocs[$0].line)" }, text)
            if !everyRegex.isEmpty { matched += 1 }
        }
        XCTAssertEqual(matched, 18, "the made paths that some IOC matches")
    }
}
