/// A map from 64-bit keys (chunk offsets, pairs of name ids) to ids for the per-chunk caches:
/// open addressing with multiplicative hashing, cleared by bumping a generation instead of
/// rewriting the table. Cheaper than a Dictionary's seeded hashing on the compile path.
struct OffsetMap: ~Copyable {
    private struct Entry {
        var key: UInt64
        var value: UInt32
        var generation: UInt32
    }

    private var table: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var used = 0
    private var generation: UInt32 = 1

    init(capacity: Int = 256) {
        var c = 16
        while c < capacity { c *= 2 }
        mask = c - 1
        table = .allocate(capacity: c)
        table.initialize(repeating: Entry(key: 0, value: 0, generation: 0), count: c)
    }

    deinit { table.deallocate() }

    mutating func removeAll() {
        used = 0
        generation &+= 1
        if generation == 0 {
            table.update(repeating: Entry(key: 0, value: 0, generation: 0), count: mask + 1)
            generation = 1
        }
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    subscript(key: UInt64) -> UInt32? {
        var i = slot(key)
        while table[i].generation == generation {
            if table[i].key == key { return table[i].value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds a key that is not in the map.
    mutating func insert(_ key: UInt64, _ value: UInt32) {
        if 2 * (used + 1) > mask + 1 { grow() }
        var i = slot(key)
        while table[i].generation == generation { i = (i + 1) & mask }
        table[i] = Entry(key: key, value: value, generation: generation)
        used += 1
    }

    private mutating func grow() {
        let old = table, oldCount = mask + 1
        mask = 2 * oldCount - 1
        table = .allocate(capacity: mask + 1)
        table.initialize(repeating: Entry(key: 0, value: 0, generation: 0), count: mask + 1)
        used = 0
        for i in 0..<oldCount where old[i].generation == generation { insert(old[i].key, old[i].value) }
        old.deallocate()
    }
}
