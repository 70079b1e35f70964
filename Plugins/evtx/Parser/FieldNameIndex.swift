/// The names of the fields of the record being built, so repeated names can be renamed:
/// an open-addressing table of field indexes keyed by name hash. Entries carry the record's
/// generation, so moving to the next record clears nothing.
struct FieldNameIndex {
    /// `generation << 32 | field index`; anything of an older generation is empty.
    private var table = [UInt64](repeating: 0, count: 128)
    private var generation: UInt64 = 1
    /// Name hash of each field, index for index.
    private(set) var hashes: [UInt64] = []
    /// For the field that holds a name first: the next suffix to try for repeats of it.
    var nextSuffix: [UInt32] = []

    mutating func reset() {
        hashes.removeAll(keepingCapacity: true)
        nextSuffix.removeAll(keepingCapacity: true)
        generation += 1
        if generation == 1 << 32 {
            for i in table.indices { table[i] = 0 }
            generation = 1
        }
    }

    /// The field whose name has hash `h` and for which `same` says the bytes are equal.
    @inline(__always)
    func find(_ h: UInt64, _ same: (Int) -> Bool) -> Int? {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = table[i]
            if e >> 32 != generation { return nil }
            let f = Int(truncatingIfNeeded: e & 0xFFFF_FFFF)
            if hashes[f] == h && same(f) { return f }
            i = (i + 1) & mask
        }
    }

    /// Records that the next field (index `hashes.count`) has a name with hash `h`.
    mutating func insert(_ h: UInt64) {
        if 2 * (hashes.count + 1) > table.count { grow() }
        place(h, hashes.count)
        hashes.append(h)
        nextSuffix.append(1)
    }

    private mutating func place(_ h: UInt64, _ field: Int) {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] >> 32 == generation { i = (i + 1) & mask }
        table[i] = generation << 32 | UInt64(field)
    }

    private mutating func grow() {
        table = [UInt64](repeating: 0, count: table.count * 2)
        for (f, h) in hashes.enumerated() { place(h, f) }
    }
}
