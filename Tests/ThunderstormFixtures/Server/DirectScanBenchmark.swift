import Thunderstorm
#if canImport(Glibc)
import Glibc
#endif

/// The baseline for the HTTP benchmark: the same scanner over the same files read from disk,
/// with the same number of concurrent scans, no HTTP in between.
enum DirectScanBenchmark {
    static func run(directory: String, scanner: MarkerScanner, concurrency: Int, repeats: Int) async {
        var files: [String] = []
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if entry.pointee.d_type == UInt8(DT_REG) { files.append(directory + "/" + name) }
            }
            closedir(dir)
        }
        let work = Array(repeating: files, count: max(1, repeats)).flatMap { $0 }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var findings = 0
        await withTaskGroup(of: Int.self) { group in
            var next = 0
            for _ in 0..<max(1, concurrency) where next < work.count {
                let path = work[next]
                next += 1
                group.addTask { await scanOne(path, scanner) }
            }
            while let found = await group.next() {
                findings += found
                if next < work.count {
                    let path = work[next]
                    next += 1
                    group.addTask { await scanOne(path, scanner) }
                }
            }
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        print("direct: \(work.count) files, \(findings) with findings, \(String(format3(seconds))) s, \(String(format3(Double(work.count) / seconds))) files/s")
    }

    private static func scanOne(_ path: String, _ scanner: MarkerScanner) async -> Int {
        var st = stat()
        let size = stat(path, &st) == 0 ? Int64(st.st_size) : 0
        let verdict = try? await scanner.verdict(for: SubmittedSample(path: path, fileName: path, source: "bench", size: size, id: nil))
        return verdict?.level == nil ? 0 : 1
    }

    private static func format3(_ x: Double) -> String {
        String(Double(Int(x * 1000)) / 1000)
    }
}
