import Foundation

/// ../shared/signature-base/iocs beside the package, or nil (tests then skip).
func signatureBaseIOCs() -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/signature-base/iocs").path
    return FileManager.default.fileExists(atPath: root + "/hash-iocs.txt") ? root : nil
}

/// A scratch folder removed when the test ends.
final class ScratchFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "ioc-engine-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }
}
