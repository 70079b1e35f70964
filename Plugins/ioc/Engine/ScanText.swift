/// A string's UTF-8 bytes and their ASCII lower-cased copy, made once per string and shared by
/// the keyword, C2 and filename matchers (a record's every field meets all three).
public struct ScanText {
    public let text: String
    let bytes: [UInt8]
    let folded: [UInt8]

    public init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        folded = bytes.map(LiteralIndex.lower)
    }
}
