/// Groups walked paths into batches for the scanning threads: full batches while the walk goes
/// on (one hand-over and one worker round trip per batch), and at its end batches that shrink
/// as the work left does ("guided" scheduling), so the workers run out together. With full
/// batches to the end, one worker scanned a last batch of up to 32 files (~35 ms) while the
/// others idled.
struct PathBatcher {
    let size: Int
    /// Paths held back for the end, whatever was walked after them.
    let heldBack: Int
    let threads: Int
    private var pending: [String] = []

    init(size: Int, threads: Int) {
        self.size = max(1, size)
        self.threads = max(1, threads)
        heldBack = self.size * self.threads
    }

    /// A full batch once enough paths wait behind it.
    mutating func add(_ path: String) -> [String]? {
        pending.append(path)
        guard pending.count == size + heldBack else { return nil }
        let batch = Array(pending.prefix(size))
        pending.removeFirst(size)
        return batch
    }

    /// What is left, each batch a share of what remains: half a thread's share, at least one path.
    mutating func finish() -> [[String]] {
        var batches: [[String]] = []
        var rest = pending[...]
        while !rest.isEmpty {
            let take = min(size, max(1, (rest.count + 2 * threads - 1) / (2 * threads)))
            batches.append(Array(rest.prefix(take)))
            rest = rest.dropFirst(take)
        }
        pending.removeAll()
        return batches
    }
}
