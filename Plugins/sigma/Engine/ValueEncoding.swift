/// The byte-level transformations of the encoding modifiers (`base64`, `base64offset`, `utf16*`).
enum ValueEncoding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard Base64 with `=` padding.
    static func base64(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let n = UInt32(data[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return out
    }

    /// The three Base64 forms of `data` as it appears at byte offsets 0, 1 and 2 (mod 3) inside a longer
    /// encoded text: the characters that depend on unknown neighbouring bytes are cut off at both ends.
    static func base64Offsets(_ data: [UInt8]) -> [[UInt8]] {
        let startCut = [0, 2, 3]
        // Characters to drop at the end, by (length + shift) % 3: none when the data ends on a group
        // boundary, else those touched by the unknown following byte and the padding.
        let endCut = [0, 3, 2]
        var variants: [[UInt8]] = []
        for shift in 0..<3 {
            let encoded = base64(Array(repeating: 0, count: shift) + data)
            let end = encoded.count - endCut[(data.count + shift) % 3]
            let start = startCut[shift]
            variants.append(start < end ? Array(encoded[start..<end]) : [])
        }
        return variants
    }

    static func utf16LE(_ text: [UInt8]) -> [UInt8] {
        String(decoding: text, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func utf16BE(_ text: [UInt8]) -> [UInt8] {
        String(decoding: text, as: UTF8.self).utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// `utf16`: little-endian with a byte order mark.
    static func utf16WithBOM(_ text: [UInt8]) -> [UInt8] {
        [0xFF, 0xFE] + utf16LE(text)
    }
}
