/// The names of the fields of the record being built, so repeated names can be renamed:
/// an open-addressing table of field indexes keyed by name hash. Entries carry the record's
/// generation, so moving to the next record clears nothing.
struct FieldNameIndex: ~Copyable {
    /// `generation << 32 | field index`; anything of an older generation is empty.
    private var table: UnsafeMutablePointer<UInt64>
    private var mask = 127
    private var generation: UInt64 = 1
    /// Name hash of each field, index for index.
    private(set) var hashes = PODStack<UInt64>()
    /// For the field that holds a name first: the next suffix to try for repeats of it.
    var nextSuffix = PODStack<UInt32>()

    init() {
        table = .allocate(capacity: mask + 1)
        table.initialize(repeating: 0, count: mask + 1)
    }

    deinit { table.deallocate() }

    mutating func reset() {
        hashes.removeAll()
        nextSuffix.removeAll()
        generation += 1
        if generation == 1 << 32 {
            table.update(repeating: 0, count: mask + 1)
            generation = 1
        }
    }

    /// The field whose name has hash `h` and for which `same` says the bytes are equal; when
    /// there is none, the next field (index `hashes.count`) is recorded under `h` and nil
    /// returned. One probe for both.
    @inline(__always)
    mutating func findOrInsert(_ h: UInt64, _ same: (Int) -> Bool) -> Int? {
        if 2 * (hashes.count + 1) > mask + 1 { grow() }
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = table[i]
            if e >> 32 != generation { break }
            let f = Int(truncatingIfNeeded: e & 0xFFFF_FFFF)
            if hashes[f] == h && same(f) { return f }
            i = (i + 1) & mask
        }
        table[i] = generation << 32 | UInt64(hashes.count)
        hashes.append(h)
        nextSuffix.append(1)
        return nil
    }

    @inline(__always)
    private mutating func place(_ h: UInt64, _ field: Int) {
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] >> 32 == generation { i = (i + 1) & mask }
        table[i] = generation << 32 | UInt64(field)
    }

    @inline(never)
    private mutating func grow() {
        table.deallocate()
        mask = 2 * mask + 1
        table = .allocate(capacity: mask + 1)
        table.initialize(repeating: 0, count: mask + 1)
        for f in 0..<hashes.count { place(hashes[f], f) }
    }
}

/// A 64-bit hash of bytes, a word at a time; field names are compared by it first.
@inline(__always)
func nameHash(_ u: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(u.count)
    var i = 0
    while u.count - i >= 8 {
        h = (h ^ UInt64(littleEndian: u.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < u.count {
        tail |= UInt64(u[i]) << shift
        shift += 8
        i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 29)
}
