import Foundation
import XCTest

/// Where the package, its debug build and the shared corpus are, seen from the test sources.
public enum BuildProducts {
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let buildDir = packageRoot + "/.build/debug"
    public static let corpus = packageRoot + "/../shared/corpus"

    /// The `thor` that `swift build` made, after checking that it and the named build products exist;
    /// skips the test otherwise (the README's test command builds everything first).
    public static func thor(with products: [String] = []) throws -> String {
        let thor = buildDir + "/thor"
        for needed in [thor] + products.map({ buildDir + "/" + $0 }) where !FileManager.default.fileExists(atPath: needed) {
            throw XCTSkip("\(needed) is missing: run `swift build` before `swift test` (the README's test command does)")
        }
        return thor
    }
}
