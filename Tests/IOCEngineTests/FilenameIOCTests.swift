import XCTest
@testable import IOCEngine

final class FilenameIOCTests: XCTestCase {
    func testScoresOfOneStringAreSummedAndFalsePositiveRegexCancels() throws {
        let dir = try ScratchFolder()
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
        func lit(_ p: String) -> String? { RegexLiteral.required(p).map { String(decoding: $0, as: UTF8.self) } }
        XCTAssertEqual(lit("\\\\usbclass\\.sys"), "\\usbclass.sys")
        XCTAssertEqual(lit("(?i)\\\\procdump(64)?(a)?\\.(exe|zip)"), "\\procdump")
        XCTAssertEqual(lit("abcd?ef"), "abc")
        XCTAssertEqual(lit("ab+cdef"), "cdef")
        XCTAssertEqual(lit("x{0,3}yzw"), "yzw")
        XCTAssertNil(lit("abc|def"))
        XCTAssertNil(lit("[a-z]+\\d{4}"))
    }

    /// signature-base's filename IOCs: all lines load, and known entries score as written.
    func testSignatureBaseFilenameIOCs() throws {
        guard let dir = signatureBaseIOCs() else { throw XCTSkip("../shared/signature-base not present") }
        var set = IOCSet()
        set.load(path: dir + "/filename-iocs.txt")
        XCTAssertEqual(set.diagnostics.map(\.description), [])
        XCTAssertEqual(set.filenames.iocs.count, 3828)
        // Patterns without a certain literal of 3+ bytes (top-level alternations and the like)
        // are evaluated on every string; the other 3,807 only when their literal occurs.
        XCTAssertEqual(set.filenames.unfilteredCount, 21)
        let regin = try XCTUnwrap(set.filenames.match("C:\\Windows\\System32\\drivers\\usbclass.sys"))
        XCTAssertEqual(regin.hits.map(\.ioc.description), ["Regin"])
        XCTAssertEqual(regin.score, 80)
        XCTAssertNil(set.filenames.match("C:\\Program Files\\WhatsApp\\whatsapp.exe"), "its FP regex cancels line 250")
        XCTAssertEqual(set.filenames.match("C:\\Users\\x\\Downloads\\whatsapp.exe")?.hits.map(\.ioc.line), [250])
    }
}
