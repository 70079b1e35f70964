import Foundation

/// Magic-byte table in signature-base's `file-type-signatures` format: `HEX BYTES;Type Name` per line,
/// `#` comments. The longest matching prefix names the type.
public struct FileTypeSignatures: Sendable {
    struct Signature: Sendable {
        let magic: [UInt8]
        let type: String
    }

    private let signatures: [Signature]
    /// How many leading bytes detection needs.
    public let prefixLength: Int

    public init(text: String) throws {
        var parsed: [Signature] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ";", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ConfigError("file-type signature line \(index + 1): expected 'HEX BYTES;Type'") }
            var magic: [UInt8] = []
            for token in parts[0].split(separator: " ") {
                guard token.count == 2, let byte = UInt8(token, radix: 16) else {
                    throw ConfigError("file-type signature line \(index + 1): '\(token)' is not a hex byte")
                }
                magic.append(byte)
            }
            guard !magic.isEmpty else { throw ConfigError("file-type signature line \(index + 1): no magic bytes") }
            parsed.append(Signature(magic: magic, type: parts[1].trimmingCharacters(in: .whitespaces)))
        }
        signatures = parsed.sorted { $0.magic.count > $1.magic.count }
        prefixLength = parsed.map(\.magic.count).max() ?? 0
    }

    /// The type of content starting with `head`, or nil when no signature matches.
    /// No signatures: every type is unknown.
    public static let none = try! FileTypeSignatures(text: "")

    public func type(of head: UnsafeRawBufferPointer) -> String? {
        for sig in signatures where sig.magic.count <= head.count {
            var equal = true
            for i in 0..<sig.magic.count where head[i] != sig.magic[i] {
                equal = false
                break
            }
            if equal { return sig.type }
        }
        return nil
    }
}
