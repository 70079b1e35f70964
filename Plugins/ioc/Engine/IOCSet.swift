import Foundation
import PluginKit

/// Every IOC loaded from the IOC folders (signatures/iocs, custom-signatures/iocs, --ioc-dir).
public struct IOCSet: @unchecked Sendable {
    public private(set) var hashes = HashIOCs()
    public private(set) var filenames = FilenameIOCs()
    public private(set) var keywords = KeywordIOCs()
    public private(set) var c2 = C2IOCs()
    /// Files read, with the type their name gave them.
    public private(set) var files: [(path: String, type: IOCFileType)] = []
    /// Skipped lines and files, with file and line.
    public private(set) var diagnostics: [IOCDiagnostic] = []

    public init() {}

    /// Loads the `.txt` files of each folder (see `SignatureFolder.files`); reports `.dat` files.
    public init(directories: [String]) {
        for file in SignatureFolder.files(in: directories, where: { $0.hasSuffix(".txt") || $0.hasSuffix(".dat") }) {
            if file.name.hasSuffix(".dat") {
                diagnostics.append(IOCDiagnostic(file: file.path, line: 0, message: "encrypted IOC files are not supported; skipped"))
            } else {
                load(path: file.path)
            }
        }
    }

    /// Loads one file, typed by its name.
    public mutating func load(path: String) {
        let name = (path as NSString).lastPathComponent
        guard let type = IOCFileType.of(fileNamed: name) else {
            diagnostics.append(IOCDiagnostic(file: path, line: 0,
                message: "no IOC type tag (hash, filename, keyword, c2, domains, falsepositive-hash) in the file name; skipped"))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(IOCDiagnostic(file: path, line: 0, message: "cannot read; skipped"))
            return
        }
        load(text: String(decoding: data, as: UTF8.self), path: path, type: type)
    }

    public mutating func load(text: String, path: String, type: IOCFileType) {
        files.append((path, type))
        switch type {
        case .hash: hashes.load(text: text, file: path, falsePositive: false, diagnostics: &diagnostics)
        case .falsePositiveHash: hashes.load(text: text, file: path, falsePositive: true, diagnostics: &diagnostics)
        case .filename: filenames.load(text: text, file: path, diagnostics: &diagnostics)
        case .keyword: keywords.load(text: text, file: path)
        case .c2: c2.load(text: text, file: path, diagnostics: &diagnostics)
        }
    }
}
