import Foundation
import XCTest

/// Where the package, its debug build, the shared corpus and signature-base are, seen from the test sources.
public enum BuildProducts {
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let buildDir = packageRoot + "/.build/debug"
    public static let corpus = packageRoot + "/../shared/corpus"
    public static let signatureBase = URL(fileURLWithPath: packageRoot + "/../shared/signature-base").standardized.path

    /// `part` of signature-base (e.g. "yara", "iocs/hash-iocs.txt"), after checking it is there; skips the
    /// test otherwise (signature-base is a shared checkout beside the package, not part of it).
    public static func requireSignatureBase(_ part: String) throws -> String {
        let path = signatureBase + "/" + part
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("signature-base not found: \(path) is missing (../shared/signature-base beside the package)")
        }
        return path
    }

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
