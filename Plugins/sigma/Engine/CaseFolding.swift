/// Case folding shared by rule values and event values, so both sides fold the same way.
enum CaseFolding {
    /// Lower-cases UTF-8 text: a byte loop for ASCII, Unicode lower-casing otherwise.
    static func lower(_ bytes: [UInt8]) -> [UInt8] {
        lower(String(decoding: bytes, as: UTF8.self))
    }

    static func lower(_ text: String) -> [UInt8] {
        var copy = text
        let folded: [UInt8]? = copy.withUTF8 { src -> [UInt8]? in
            // One pass: fold A-Z, give up on the first non-ASCII byte (Unicode rules needed then).
            var ascii = true
            let out = [UInt8](unsafeUninitializedCapacity: src.count) { dst, count in
                for i in 0..<src.count {
                    let b = src[i]
                    if b >= 0x80 { ascii = false; break }
                    dst[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                }
                count = ascii ? src.count : 0
            }
            return ascii ? out : nil
        }
        return folded ?? Array(text.lowercased().utf8)
    }
}
