import Foundation
import XCTest

/// A fresh folder under the system's temporary directory: the one scratch folder of the test suites.
/// It is removed with everything in it by `remove()` or when the last reference goes; tests get one
/// from `XCTestCase.temporaryFolder(_:)`, which removes it when the test ends.
public final class TemporaryFolder {
    public let path: String

    /// `label` goes into the folder's name (letters and digits only), so a leftover says which test made it.
    public init(_ label: String) throws {
        path = NSTemporaryDirectory() + "thor-tests-" + label.filter { $0.isLetter || $0.isNumber } + "-"
            + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Readable by everyone: some tests run `thor` as another user (setpriv), which must reach the files.
        chmod(path, 0o755)
    }

    deinit { remove() }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `data` to `relative` inside the folder, making the folders on the way; returns the full path.
    @discardableResult
    public func write(_ relative: String, _ data: Data) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String { try write(relative, Data(text.utf8)) }

    /// `given` when a caller chose a folder (not owned: nothing is removed), else a fresh one that the
    /// returned owner removes.
    public static func path(_ given: String?, orFresh label: String) throws -> (path: String, owner: TemporaryFolder?) {
        if let given { return (given, nil) }
        let made = try TemporaryFolder(label)
        return (made.path, made)
    }
}

extension XCTestCase {
    /// A fresh temporary folder, removed when the test ends.
    public func temporaryFolder(_ label: String = #function) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(label)
        addTeardownBlock { folder.remove() }
        return folder
    }
}
