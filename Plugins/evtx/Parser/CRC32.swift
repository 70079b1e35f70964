import EVTXCRCFold

/// CRC-32 (IEEE 802.3, reflected, as zlib) for the file header, chunk header and chunk data
/// checksums: carry-less multiplication folding where the CPU has it (the chunk data CRC is
/// a tenth of the parse time with tables alone), slicing-by-8 tables otherwise and for tails.
enum CRC32 {
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k * 256 + i] = (t[(k - 1) * 256 + i] >> 8) ^ t[Int(t[(k - 1) * 256 + i] & 0xFF)] }
        }
        return t
    }()

    private static let canFold = evtx_crc32_fold_available() != 0

    /// Continues `crc` (pass 0 to start) over `bytes`.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard canFold, bytes.count >= 64, let base = bytes.baseAddress else { return ~raw(~crc, bytes) }
        var remainder = (UInt64(0), UInt64(0))
        let folded = withUnsafeMutableBytes(of: &remainder) { r in
            evtx_crc32_fold(~crc, base.assumingMemoryBound(to: UInt8.self), bytes.count,
                            r.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        let state = withUnsafeBytes(of: &remainder) { raw(0, $0) }
        return ~raw(state, UnsafeRawBufferPointer(rebasing: bytes[min(folded, bytes.count)...]))
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// The CRC register after `bytes`, starting from register `c` (no inversions).
    private static func raw(_ c0: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = c0
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                let lo = bytes.le32(i) ^ c
                let hi = bytes.le32(i + 4)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }
}
