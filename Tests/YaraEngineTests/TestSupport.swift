import Foundation
import XCTest

/// A scratch folder removed when the test ends.
final class ScratchDirectory {
    let path: String

    init() throws {
        let base = NSTemporaryDirectory() + "yara-engine-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
        return full
    }
}

/// The package root, from this file's location (Tests/YaraEngineTests/...).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// ../shared/signature-base beside the package, or nil (tests then skip).
func signatureBase() -> String? {
    let path = URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared/signature-base").path
    return FileManager.default.fileExists(atPath: path + "/yara") ? path : nil
}

/// The EICAR test string, assembled at run time so no file in the repository carries it.
let eicar: String = {
    let parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"]
    return parts.joined()
}()

extension Data {
    func withBuffer<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes { try body($0) }
    }
}
