@testable import EVTX

/// Writes small EVTX files by hand: one chunk, one record, one inline template, so tests can
/// feed exact BinXML shapes (arrays, nested BinXML, attributes, hostile expansions).
struct SyntheticEVTX {
    /// BinXML bytes being written at chunk offset `base + bytes.count`.
    struct Writer {
        var bytes: [UInt8] = []
        let base: Int
        var pos: Int { base + bytes.count }
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        mutating func u32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        mutating func utf16(_ s: String) { for u in s.utf16 { u16(u) } }

        /// A name reference defined in place; returns its chunk offset for later reuse.
        @discardableResult
        mutating func name(_ s: String) -> UInt32 {
            let at = UInt32(pos + 4)
            u32(at)
            u32(0); u16(0); u16(UInt16(s.utf16.count)); utf16(s); u16(0)
            return at
        }

        /// Element start; template definitions carry a dependency id.
        mutating func open(_ n: String, attributes: Bool = false, inTemplate: Bool = true) {
            u8(attributes ? 0x41 : 0x01)
            if inTemplate { u16(0xFFFF) }
            u32(0)
            name(n)
            if attributes { u32(0) }
        }

        mutating func substitution(_ index: UInt16, type: UInt8, optional: Bool = false) {
            u8(optional ? 0x0E : 0x0D); u16(index); u8(type)
        }
    }

    /// The record stream: fragment header and a template instance whose definition (built by
    /// `template`, after its own fragment header) follows inline, then the values.
    static func record(template: (inout Writer) -> Void, values: [(type: UInt8, bytes: [UInt8])]) -> [UInt8] {
        var w = Writer(base: 512 + 24)
        w.bytes += [0x0F, 1, 1, 0, 0x0C, 0x01]
        w.u32(1)
        w.u32(UInt32(w.pos + 4))
        w.u32(0)
        w.bytes += [UInt8](repeating: 0xAB, count: 16)
        var t = Writer(base: w.pos + 4)
        t.bytes += [0x0F, 1, 1, 0]
        template(&t)
        t.u8(0x00)
        w.u32(UInt32(t.bytes.count))
        w.bytes += t.bytes
        w.u32(UInt32(values.count))
        for v in values { w.u16(UInt16(v.bytes.count)); w.u8(v.type); w.u8(0) }
        for v in values { w.bytes += v.bytes }
        w.u8(0x00)
        return w.bytes
    }

    /// A whole file around one record's BinXML.
    static func file(binxml: [UInt8], recordID: UInt64 = 7) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 4096)
        header.replaceSubrange(0..<8, with: Array("ElfFile\0".utf8))
        header[42] = 1
        var chunk = [UInt8](repeating: 0, count: 65536)
        chunk.replaceSubrange(0..<8, with: Array("ElfChnk\0".utf8))
        let size = 24 + binxml.count + 4
        func put(_ v: UInt64, _ at: Int, _ n: Int) { for k in 0..<n { chunk[at + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) } }
        put(recordID, 24, 8); put(recordID, 32, 8)
        put(UInt64(512 + size), 48, 4)
        put(0x2A2A, 512, 4); put(UInt64(size), 516, 4); put(recordID, 520, 8)
        put(130_270_189_599_735_000, 528, 8)
        chunk.replaceSubrange(536..<(536 + binxml.count), with: binxml)
        put(UInt64(size), 536 + binxml.count, 4)
        return header + chunk
    }
}
