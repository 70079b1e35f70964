/// A multi-literal searcher: one pass over a value reports every literal that occurs in it.
/// Transitions are a dense table over byte classes (only the bytes the literals use get a class).
struct AhoCorasick {
    private var classOf = [UInt16](repeating: 0, count: 256)
    private var classCount = 1
    private var table: [Int32] = []
    /// Literal ids ending at each state (own only; `dictLink` chains to shorter suffixes with output).
    private var output: [[Int32]] = []
    private var dictLink: [Int32] = []

    init(_ literals: [[UInt8]]) {
        for lit in literals { for b in lit where classOf[Int(b)] == 0 { classOf[Int(b)] = UInt16(classCount); classCount += 1 } }
        // Trie.
        var children: [[Int32]] = [Array(repeating: -1, count: classCount)]
        output = [[]]
        for (id, lit) in literals.enumerated() {
            var s = 0
            for b in lit {
                let c = Int(classOf[Int(b)])
                if children[s][c] < 0 {
                    children[s][c] = Int32(children.count)
                    children.append(Array(repeating: -1, count: classCount))
                    output.append([])
                }
                s = Int(children[s][c])
            }
            output[s].append(Int32(id))
        }
        // Breadth-first failure links, turning the trie into a full DFA.
        let n = children.count
        var fail = [Int32](repeating: 0, count: n)
        dictLink = [Int32](repeating: -1, count: n)
        table = [Int32](repeating: 0, count: n * classCount)
        var queue: [Int] = []
        for c in 0..<classCount {
            let t = children[0][c]
            if t >= 0 { table[c] = t; fail[Int(t)] = 0; queue.append(Int(t)) } else { table[c] = 0 }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            let f = Int(fail[s])
            dictLink[s] = output[f].isEmpty ? dictLink[f] : Int32(f)
            for c in 0..<classCount {
                let t = children[s][c]
                if t >= 0 {
                    fail[Int(t)] = table[f * classCount + c]
                    table[s * classCount + c] = t
                    queue.append(Int(t))
                } else {
                    table[s * classCount + c] = table[f * classCount + c]
                }
            }
        }
    }

    /// Calls `found` with the id of every literal occurrence in `text` (ids may repeat).
    func scan(_ text: [UInt8], _ found: (Int32) -> Void) {
        var s = 0
        let stride = classCount
        table.withUnsafeBufferPointer { t in
            classOf.withUnsafeBufferPointer { cls in
                for b in text {
                    s = Int(t[s * stride + Int(cls[Int(b)])])
                    var o = s
                    while o > 0 {
                        for id in output[o] { found(id) }
                        o = Int(dictLink[o])
                    }
                }
            }
        }
    }
}
