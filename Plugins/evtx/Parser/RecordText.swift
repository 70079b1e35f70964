/// A byte range of rendered text: in the chunk's shared strings (names, keys, literal text)
/// when the top bit of `start` is set, else in the record's own bytes.
struct TextRef: Equatable {
    var start: UInt32
    var count: UInt32

    static let sharedBit: UInt32 = 1 << 31
    static let empty = TextRef(start: 0, count: 0)

    init(start: UInt32, count: UInt32) {
        self.start = start
        self.count = count
    }

    init(shared offset: Int, count: Int) {
        self.init(start: UInt32(truncatingIfNeeded: offset) | TextRef.sharedBit, count: UInt32(truncatingIfNeeded: count))
    }

    init(own offset: Int, count: Int) {
        self.init(start: UInt32(truncatingIfNeeded: offset), count: UInt32(truncatingIfNeeded: count))
    }

    var isShared: Bool { start & TextRef.sharedBit != 0 }
    var offset: Int { Int(start & ~TextRef.sharedBit) }
    var end: Int { offset + Int(count) }

    /// The bytes of this range, given the two stores; empty when out of range.
    @inline(__always)
    func bytes(shared: UnsafeRawBufferPointer, own: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let b = isShared ? shared : own
        guard end <= b.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: b[offset..<end])
    }
}

/// The text of the record being built: its rendered values and whatever text the field
/// builder has to join, in one reused buffer; `slots` and `items` describe the values.
struct RecordText: ~Copyable {
    var bytes = ByteBuffer()
    var slots = PODStack<ValueSlot>()
    var items = PODStack<TextRef>()

    /// Most bytes one record may render (values and joined text); more fails the record.
    static let maxBytes = 64 << 20

    mutating func reset() {
        bytes.removeAll()
        slots.removeAll()
        items.removeAll()
    }

    /// The own-byte range written since `start`.
    @inline(__always)
    func ref(since start: Int) -> TextRef { TextRef(own: start, count: bytes.count - start) }

    func string(_ start: UInt32, _ count: UInt32) -> String { string(TextRef(start: start, count: count)) }

    func string(_ r: TextRef) -> String {
        String(decoding: r.bytes(shared: UnsafeRawBufferPointer(start: nil, count: 0), own: bytes.bytes), as: UTF8.self)
    }
}
