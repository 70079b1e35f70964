import XCTest
@testable import Sigma

/// Every value modifier, with exact expectations.
final class ModifierTests: XCTestCase {
    func testContainsStartswithEndswith() throws {
        let c = try SigmaTestSupport.set("sel:\n    CommandLine|contains: 'Invoke-'\ncondition: sel")
        XCTAssertTrue(c.fires([("CommandLine", "powershell INVOKE-Expression")]))
        XCTAssertFalse(c.fires([("CommandLine", "powershell Invoke Expression")]))
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|startswith: 'cmd'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "CMD /c dir")]))
        XCTAssertFalse(s.fires([("CommandLine", " cmd /c dir")]))
        let e = try SigmaTestSupport.set("sel:\n    Image|endswith: '\\whoami.exe'\ncondition: sel")
        XCTAssertTrue(e.fires([("Image", "C:\\Windows\\System32\\WHOAMI.exe")]))
        XCTAssertFalse(e.fires([("Image", "C:\\whoami.exe.bak")]))
        XCTAssertFalse(e.fires([("Image", "whoami.exe")]))
    }

    func testContainsKeepsInnerWildcards() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|contains: 'net*user'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "c:\\net.exe  user x")]))
        XCTAssertFalse(s.fires([("CommandLine", "user net")]))
    }

    func testAllWithListRequiresEveryValue() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|contains|all:\n        - ' -w '\n        - 'hidden'\n        - '-enc'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "powershell -enc AAA -w hidden")]))
        XCTAssertFalse(s.fires([("CommandLine", "powershell -enc AAA -w normal")]))
        XCTAssertFalse(s.fires([]))
    }

    func testCasedIsCaseSensitive() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|contains|cased: 'EncodedCommand'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "x -EncodedCommand y")]))
        XCTAssertFalse(s.fires([("CommandLine", "x -encodedcommand y")]))
    }

    func testRegexIsCaseSensitiveUnanchoredSearch() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|re: '\\s-[eE]nc [A-Z]+'\ncondition: sel")
        XCTAssertTrue(s.fires([("CommandLine", "ps -enc ABC")]))
        XCTAssertFalse(s.fires([("CommandLine", "ps -enc abc")]))
        XCTAssertFalse(s.fires([("CommandLine", "ps -ENC ABC")]))
    }

    func testRegexFlags() throws {
        let i = try SigmaTestSupport.set("sel:\n    CommandLine|re|i: '^cmd\\.exe'\ncondition: sel")
        XCTAssertTrue(i.fires([("CommandLine", "CMD.EXE /c")]))
        let m = try SigmaTestSupport.set("sel:\n    ScriptBlockText|re|m: '^Invoke-Mimikatz$'\ncondition: sel")
        XCTAssertTrue(m.fires([("ScriptBlockText", "line one\nInvoke-Mimikatz\nline three")]))
        let noM = try SigmaTestSupport.set("sel:\n    ScriptBlockText|re: '^Invoke-Mimikatz$'\ncondition: sel")
        XCTAssertFalse(noM.fires([("ScriptBlockText", "line one\nInvoke-Mimikatz\nline three")]))
        let s = try SigmaTestSupport.set("sel:\n    ScriptBlockText|re|s: 'begin.end'\ncondition: sel")
        XCTAssertTrue(s.fires([("ScriptBlockText", "begin\nend")]))
        let noS = try SigmaTestSupport.set("sel:\n    ScriptBlockText|re: 'begin.end'\ncondition: sel")
        XCTAssertFalse(noS.fires([("ScriptBlockText", "begin\nend")]))
    }

    func testBase64EncodesTheWholeValue() throws {
        let s = try SigmaTestSupport.set("sel:\n    Payload|base64: 'hello world'\ncondition: sel")
        XCTAssertTrue(s.fires([("Payload", "aGVsbG8gd29ybGQ=")]))
        XCTAssertFalse(s.fires([("Payload", "hello world")]))
        let c = try SigmaTestSupport.set("sel:\n    Payload|base64|contains: 'hello world'\ncondition: sel")
        XCTAssertTrue(c.fires([("Payload", "x aGVsbG8gd29ybGQ= y")]))
    }

    func testBase64OffsetProducesTheThreeShifts() {
        // Reference values: Python's base64 with pySigma's cut offsets (0,2,3) / (none,-3,-2).
        XCTAssertEqual(ValueEncoding.base64Offsets(Array("http://".utf8)).map { String(decoding: $0, as: UTF8.self) },
                       ["aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"])
        XCTAssertEqual(ValueEncoding.base64Offsets(ValueEncoding.utf16LE(Array("http".utf8))).map { String(decoding: $0, as: UTF8.self) },
                       ["aAB0AHQAcA", "gAdAB0AHAA", "oAHQAdABwA"])
    }

    func testBase64OffsetContainsFindsTheValueAtEveryAlignment() throws {
        let s = try SigmaTestSupport.set("sel:\n    ImagePath|base64offset|contains: 'http://'\ncondition: sel")
        XCTAssertTrue(s.fires([("ImagePath", "eHggaHR0cDovLyB5eQ==")]))  // "xx http:// yy"
        XCTAssertTrue(s.fires([("ImagePath", "eCBodHRwOi8v")]))          // "x http://"
        XCTAssertTrue(s.fires([("ImagePath", "aHR0cDovL3g=")]))          // "http://x"
        XCTAssertFalse(s.fires([("ImagePath", "aHR0cHM6Ly8=")]))         // "https://"
    }

    func testUTF16EncodingsBeforeBase64() throws {
        XCTAssertEqual(String(decoding: ValueEncoding.base64(ValueEncoding.utf16LE(Array("cmd".utf8))), as: UTF8.self), "YwBtAGQA")
        XCTAssertEqual(String(decoding: ValueEncoding.base64(ValueEncoding.utf16BE(Array("cmd".utf8))), as: UTF8.self), "AGMAbQBk")
        XCTAssertEqual(String(decoding: ValueEncoding.base64(ValueEncoding.utf16WithBOM(Array("cmd".utf8))), as: UTF8.self), "//5jAG0AZAA=")
        let wide = try SigmaTestSupport.set("sel:\n    CommandLine|wide|base64offset|contains: 'http'\ncondition: sel")
        XCTAssertTrue(wide.fires([("CommandLine", "powershell -e gAdAB0AHAA")]))
        let le = try SigmaTestSupport.set("sel:\n    CommandLine|utf16le|base64: 'cmd'\ncondition: sel")
        XCTAssertTrue(le.fires([("CommandLine", "YwBtAGQA")]))
        let be = try SigmaTestSupport.set("sel:\n    CommandLine|utf16be|base64: 'cmd'\ncondition: sel")
        XCTAssertTrue(be.fires([("CommandLine", "AGMAbQBk")]))
        let bom = try SigmaTestSupport.set("sel:\n    CommandLine|utf16|base64: 'cmd'\ncondition: sel")
        XCTAssertTrue(bom.fires([("CommandLine", "//5jAG0AZAA=")]))
    }

    func testWindashAcceptsEveryDashCharacter() throws {
        let s = try SigmaTestSupport.set("sel:\n    CommandLine|windash|contains: ' -enc '\ncondition: sel")
        for dash in ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] {
            XCTAssertTrue(s.fires([("CommandLine", "powershell \(dash)enc AAA")]), dash)
        }
        XCTAssertFalse(s.fires([("CommandLine", "powershell +enc AAA")]))
        XCTAssertFalse(s.fires([("CommandLine", "powershell enc AAA")]))
        // Every dash of the value varies independently (all permutations).
        let two = try SigmaTestSupport.set("sel:\n    CommandLine|windash|contains: '-a -b'\ncondition: sel")
        XCTAssertTrue(two.fires([("CommandLine", "x /a \u{2014}b")]))
        XCTAssertTrue(two.fires([("CommandLine", "x -a /b")]))
        // A rule written with a slash also matches a hyphen.
        let slash = try SigmaTestSupport.set("sel:\n    CommandLine|windash|endswith: '/quiet'\ncondition: sel")
        XCTAssertTrue(slash.fires([("CommandLine", "msiexec -quiet")]))
    }

    func testCIDRForIPv4AndIPv6() throws {
        let s = try SigmaTestSupport.set("sel:\n    IpAddress|cidr:\n        - '10.0.0.0/8'\n        - '172.16.0.0/12'\n        - '::1/128'\n        - 'fe80::/10'\ncondition: sel")
        XCTAssertTrue(s.fires([("IpAddress", "10.200.3.4")]))
        XCTAssertTrue(s.fires([("IpAddress", "172.31.255.255")]))
        XCTAssertFalse(s.fires([("IpAddress", "172.32.0.1")]))
        XCTAssertFalse(s.fires([("IpAddress", "11.0.0.1")]))
        XCTAssertTrue(s.fires([("IpAddress", "::1")]))
        XCTAssertTrue(s.fires([("IpAddress", "FE80::1234")]))
        XCTAssertFalse(s.fires([("IpAddress", "fec0::1")]))
        XCTAssertFalse(s.fires([("IpAddress", "-")]))
        XCTAssertFalse(s.fires([("IpAddress", "10.0.0.1.evil")]))
    }

    func testNumericComparisons() throws {
        let lt = try SigmaTestSupport.set("sel:\n    Count|lt: 10\ncondition: sel")
        XCTAssertTrue(lt.fires([("Count", "9")]))
        XCTAssertFalse(lt.fires([("Count", "10")]))
        XCTAssertFalse(lt.fires([("Count", "abc")]))
        let lte = try SigmaTestSupport.set("sel:\n    Count|lte: 10\ncondition: sel")
        XCTAssertTrue(lte.fires([("Count", "10")]))
        XCTAssertFalse(lte.fires([("Count", "10.5")]))
        let gt = try SigmaTestSupport.set("sel:\n    Count|gt: 10\ncondition: sel")
        XCTAssertTrue(gt.fires([("Count", "11")]))
        XCTAssertFalse(gt.fires([("Count", "10")]))
        let gte = try SigmaTestSupport.set("sel:\n    Count|gte: 10\ncondition: sel")
        XCTAssertTrue(gte.fires([("Count", "10")]))
        XCTAssertFalse(gte.fires([("Count", "-3")]))
    }

    func testExistsChecksPresenceOnly() throws {
        let yes = try SigmaTestSupport.set("sel:\n    PasswordLastSet|exists: true\ncondition: sel")
        XCTAssertTrue(yes.fires([("PasswordLastSet", "x")]))
        XCTAssertTrue(yes.fires([("PasswordLastSet", nil)]))
        XCTAssertTrue(yes.fires([("PasswordLastSet", "")]))
        XCTAssertFalse(yes.fires([]))
        let no = try SigmaTestSupport.set("sel:\n    PasswordLastSet|exists: false\ncondition: sel")
        XCTAssertTrue(no.fires([]))
        XCTAssertFalse(no.fires([("PasswordLastSet", "")]))
    }

    func testFieldrefComparesTwoFieldsOfTheEvent() throws {
        let s = try SigmaTestSupport.set("sel:\n    User|fieldref: ParentUser\ncondition: sel")
        XCTAssertTrue(s.fires([("User", "CORP\\alice"), ("ParentUser", "corp\\ALICE")]))
        XCTAssertFalse(s.fires([("User", "CORP\\alice"), ("ParentUser", "CORP\\bob")]))
        XCTAssertFalse(s.fires([("User", "CORP\\alice")]))
        let ends = try SigmaTestSupport.set("sel:\n    TargetFilename|fieldref|endswith: Name\ncondition: sel")
        XCTAssertTrue(ends.fires([("TargetFilename", "C:\\x\\evil.dll"), ("Name", "evil.dll")]))
        XCTAssertFalse(ends.fires([("TargetFilename", "C:\\x\\evil.dll.bak"), ("Name", "evil.dll")]))
    }

    func testExpandUsesConfiguredPlaceholdersAndOtherwiseSkips() throws {
        let s = try SigmaTestSupport.set("sel:\n    User|expand: '%Admins%'\ncondition: sel",
                                         placeholders: ["Admins": ["CORP\\root", "CORP\\adm*"]])
        XCTAssertTrue(s.fires([("User", "corp\\root")]))
        XCTAssertTrue(s.fires([("User", "CORP\\admin7")]))
        XCTAssertFalse(s.fires([("User", "CORP\\bob")]))
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    User|expand: '%Admins%'\ncondition: sel"),
                       "unsupported: placeholder %Admins% has no configured values")
        // Without `expand`, percent signs are plain text.
        let plain = try SigmaTestSupport.set("sel:\n    User: '%Admins%'\ncondition: sel")
        XCTAssertTrue(plain.fires([("User", "%admins%")]))
    }

    func testUnknownAndInvalidModifiersSkipTheRuleWithAReason() throws {
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    User|sha256: 'x'\ncondition: sel"), "unsupported: modifier 'sha256'")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    User|base64: 'a*b'\ncondition: sel"),
                       "unsupported: 'base64' on a value with wildcards")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    User|utf16le: 'ab'\ncondition: sel"),
                       "unsupported: utf16 encoding without base64")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    User|re: '(unclosed'\ncondition: sel"),
                       "invalid: regular expression does not compile: (unclosed")
        XCTAssertEqual(try SigmaTestSupport.skipReason("sel:\n    Ip|cidr: '10.0.0.0/33'\ncondition: sel"),
                       "invalid: bad CIDR '10.0.0.0/33'")
    }
}
