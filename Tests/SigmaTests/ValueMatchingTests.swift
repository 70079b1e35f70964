import XCTest
@testable import Sigma

/// Plain values: equality, wildcards, escaping, case, null, empty, numbers, lists.
final class ValueMatchingTests: XCTestCase {
    func testPlainValueIsCaseInsensitiveWholeValueEquality() throws {
        let s = try SigmaTestSupport.set("sel:\n    Image: 'C:\\Windows\\System32\\cmd.exe'\ncondition: sel")
        XCTAssertTrue(s.fires([("Image", "c:\\windows\\SYSTEM32\\CMD.EXE")]))
        XCTAssertFalse(s.fires([("Image", "C:\\Windows\\System32\\cmd.exe2")]))
        XCTAssertFalse(s.fires([("Image", "D:\\C:\\Windows\\System32\\cmd.exe")]))
        XCTAssertFalse(s.fires([("Other", "C:\\Windows\\System32\\cmd.exe")]))
    }

    func testUnicodeCaseFolding() throws {
        let s = try SigmaTestSupport.set("sel:\n    Message: 'Défense'\ncondition: sel")
        XCTAssertTrue(s.fires([("Message", "DÉFENSE")]))
    }

    func testStarAndQuestionMarkWildcards() throws {
        // `C:\\*` is a backslash then a wildcard (a lone `\*` would be a plain star).
        let s = try SigmaTestSupport.set("sel:\n    Image: 'C:\\\\*\\prog?.exe'\ncondition: sel")
        XCTAssertTrue(s.fires([("Image", "C:\\x\\y\\progA.exe")]))
        XCTAssertTrue(s.fires([("Image", "c:\\\\progé.exe")]))  // ? is one character, even a multi-byte one
        XCTAssertFalse(s.fires([("Image", "C:\\x\\prog.exe")]))
        XCTAssertFalse(s.fires([("Image", "C:\\x\\progAB.exe")]))
        XCTAssertFalse(s.fires([("Image", "D:\\x\\progA.exe")]))
    }

    func testMiddleStarsFindSegmentsInOrder() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine: '*a*b*c'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "xxaxxbxxc")]))
        XCTAssertTrue(s.fires([("CommandLine", "abcabc")]))
        XCTAssertFalse(s.fires([("CommandLine", "cba")]))
        XCTAssertFalse(s.fires([("CommandLine", "abcx")]))
    }

    func testEscapedWildcardsAreLiteral() throws {
        let star = try SigmaTestSupport.set("sel:\n    Value: 'a\\*b'\ncondition: sel")
        XCTAssertTrue(star.fires([("Value", "a*b")]))
        XCTAssertFalse(star.fires([("Value", "axb")]))
        let question = try SigmaTestSupport.set("sel:\n    Value: 'what\\?'\ncondition: sel")
        XCTAssertTrue(question.fires([("Value", "what?")]))
        XCTAssertFalse(question.fires([("Value", "whatX")]))
    }

    func testBackslashEscapingRules() throws {
        // `\\*`: a backslash followed by a wildcard.
        let slashStar = try SigmaTestSupport.set("sel:\n    Path: 'C:\\\\*'\ncondition: sel")
        XCTAssertTrue(slashStar.fires([("Path", "C:\\Users\\x")]))
        XCTAssertFalse(slashStar.fires([("Path", "C:Users")]))
        // `\\\*`: a backslash followed by a plain star.
        let slashLiteralStar = try SigmaTestSupport.set("sel:\n    Path: 'C:\\\\\\*'\ncondition: sel")
        XCTAssertTrue(slashLiteralStar.fires([("Path", "C:\\*")]))
        XCTAssertFalse(slashLiteralStar.fires([("Path", "C:\\x")]))
        // `\\\\`: two plain backslashes.
        let double = try SigmaTestSupport.set("sel:\n    Path: '\\\\\\\\server\\share'\ncondition: sel")
        XCTAssertTrue(double.fires([("Path", "\\\\server\\share")]))
        XCTAssertFalse(double.fires([("Path", "\\server\\share")]))
        // A lone backslash before an ordinary character, or a doubled one, is one plain backslash.
        let single = try SigmaTestSupport.set("sel:\n    Path: 'C:\\Windows'\ncondition: sel")
        XCTAssertTrue(single.fires([("Path", "C:\\Windows")]))
        let doubled = try SigmaTestSupport.set("sel:\n    Path: 'C:\\\\Windows'\ncondition: sel")
        XCTAssertTrue(doubled.fires([("Path", "C:\\Windows")]))
    }

    func testNullMatchesAbsentOrNullButNotEmpty() throws {
        let s = try SigmaTestSupport.set("sel:\n    OriginalFileName: null\ncondition: sel")
        XCTAssertTrue(s.fires([]))
        XCTAssertTrue(s.fires([("OriginalFileName", nil)]))
        XCTAssertFalse(s.fires([("OriginalFileName", "")]))
        XCTAssertFalse(s.fires([("OriginalFileName", "x.exe")]))
    }

    func testEmptyStringMatchesOnlyEmpty() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine: ''\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "")]))
        XCTAssertFalse(s.fires([("CommandLine", nil)]))
        XCTAssertFalse(s.fires([]))
        XCTAssertFalse(s.fires([("CommandLine", " ")]))
    }

    func testNullInsideAValueList() throws {
        let s = try SigmaTestSupport.set("sel:\n    ParentUser:\n        - null\n        - ''\ncondition: sel")
        XCTAssertTrue(s.fires([]))
        XCTAssertTrue(s.fires([("ParentUser", "")]))
        XCTAssertFalse(s.fires([("ParentUser", "SYSTEM")]))
    }

    func testNumbersMatchTheirDecimalText() throws {
        let s = try SigmaTestSupport.set("sel:\n    LogonType: 3\ncondition: sel")
        XCTAssertTrue(s.fires([("LogonType", "3")]))
        XCTAssertTrue(s.fires([("LogonType", " 3")]))  // equal as integers
        XCTAssertFalse(s.fires([("LogonType", "30")]))
        let quoted = try SigmaTestSupport.set("sel:\n    TicketOptions: '0x40810000'\ncondition: sel")
        XCTAssertTrue(quoted.fires([("TicketOptions", "0x40810000")]))
        XCTAssertFalse(quoted.fires([("TicketOptions", "1082195968")]))
    }

    func testValueListIsOrAndMapIsAnd() throws {
        let s = try SigmaTestSupport.set("sel:\n    Image|endswith:\n        - '\\a.exe'\n        - '\\b.exe'\n    User: 'SYSTEM'\ncondition: sel")
        XCTAssertTrue(s.fires([("Image", "C:\\b.exe"), ("User", "system")]))
        XCTAssertFalse(s.fires([("Image", "C:\\b.exe"), ("User", "admin")]))
        XCTAssertFalse(s.fires([("Image", "C:\\c.exe"), ("User", "SYSTEM")]))
    }

    func testListOfMapsIsOr() throws {
        let s = try SigmaTestSupport.set("sel:\n    - Image|endswith: '\\a.exe'\n    - Description|contains: 'Test executable'\ncondition: sel")
        XCTAssertTrue(s.fires([("Image", "C:\\a.exe")]))
        XCTAssertTrue(s.fires([("Description", "my test executable here")]))
        XCTAssertFalse(s.fires([("Image", "C:\\b.exe"), ("Description", "other")]))
    }

    func testFieldNamesFallBackToCaseInsensitive() throws {
        let s = try SigmaTestSupport.set("sel:\n    ProcessId: '42'\ncondition: sel")
        XCTAssertTrue(s.fires([("ProcessID", "42")]))
        // An exact name wins over a case variant.
        XCTAssertFalse(s.fires([("ProcessID", "42"), ("ProcessId", "7")]))
    }
}
