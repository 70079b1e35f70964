/// A growable array of plain values in memory it owns, reused from record to record: appends
/// and reads without the uniqueness checks and reference counting of a Swift array in the
/// parser's inner loops. Indexes are checked like an array's.
struct PODStack<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    var last: Element? { count > 0 ? base[count - 1] : nil }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "PODStack index out of range")
            return base[i]
        }
        set {
            precondition(i >= 0 && i < count, "PODStack index out of range")
            base[i] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ e: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: e)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let c = capacity * 2
        let nb = UnsafeMutablePointer<Element>.allocate(capacity: c)
        nb.initialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    mutating func removeAll() { count = 0 }

    /// Keeps the first `n` elements.
    mutating func truncate(to n: Int) {
        if n < count { count = max(0, n) }
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}
