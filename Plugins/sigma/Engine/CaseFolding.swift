/// Case folding shared by rule values and event values, so both sides fold the same way.
enum CaseFolding {
    /// Lower-cases UTF-8 text: a byte loop for ASCII, Unicode lower-casing otherwise.
    static func lower(_ bytes: [UInt8]) -> [UInt8] {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii {
            return bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        }
        return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }

    static func lower(_ text: String) -> [UInt8] {
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        if ascii {
            return text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        }
        return Array(text.lowercased().utf8)
    }
}
