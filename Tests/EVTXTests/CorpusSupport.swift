import EVTX
import Foundation
import TestSupport
import XCTest

/// Locates ../shared/corpus relative to the package root and loads reference files.
enum Corpus {
    static let root = URL(fileURLWithPath: BuildProducts.corpus).standardized
    static let evtxDir = root.appendingPathComponent("evtx")
    static let expectedDir = root.appendingPathComponent("expected/evtx")

    static func requireCorpus() throws {
        guard FileManager.default.fileExists(atPath: evtxDir.path) else {
            throw XCTSkip("corpus not found at \(evtxDir.path)")
        }
    }

    static func evtxFiles() throws -> [URL] {
        try requireCorpus()
        return try FileManager.default.contentsOfDirectory(at: evtxDir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "evtx" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func url(_ name: String) throws -> URL {
        try requireCorpus()
        return evtxDir.appendingPathComponent(name)
    }

    static func parse(_ name: String) throws -> ([EventRecord], EVTXDiagnostics) {
        try EVTXFile(path: try url(name).path).records()
    }

    static func summary(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: expectedDir.appendingPathComponent(name + ".summary.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Reference values are ints or strings (forwarded events carry strings); compare as text.
/// A missing value (null) is the empty string, as the parser omits absent fields.
func referenceText(_ v: Any?) -> String {
    switch v {
    case nil, is NSNull: return ""
    case let s as String: return s
    case let n as NSNumber: return n.stringValue
    default: return "\(v!)"
    }
}
