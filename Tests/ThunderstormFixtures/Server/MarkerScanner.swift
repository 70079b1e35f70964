import Thunderstorm
#if canImport(Glibc)
import Glibc
#endif

/// TEST FIXTURE, not a product: a real but tiny SampleScanner for exercising the HTTP service before
/// the host pipeline is wired in. It reads the whole sample, hashes it, and reports
/// - the EICAR test string (rule `EICAR_Test_File`, sub-score 100: Alert),
/// - a configurable byte marker (rule `Fixture_Marker`, sub-score 70: Warning),
/// - a file name containing `mimikatz` (Filename IOC, sub-score 50: Notice),
/// combined with THOR's formula. `delay` holds the slot to simulate a slow scan.
struct MarkerScanner: SampleScanner {
    static let eicar = Array("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".utf8)

    let marker: [UInt8]
    let delayNanoseconds: UInt64

    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    func scan(_ sample: SubmittedSample, completion: @escaping @Sendable (Result<SampleVerdict, any Error>) -> Void) {
        Task {
            do {
                completion(.success(try await verdict(for: sample)))
            } catch {
                completion(.failure(error))
            }
        }
    }

    func verdict(for sample: SubmittedSample) async throws -> SampleVerdict {
        if delayNanoseconds > 0 { try await Task.sleep(nanoseconds: delayNanoseconds) }
        let fd = open(sample.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: "cannot open \(sample.path): errno \(errno)") }
        defer { close(fd) }

        let digests = FixtureDigests()
        let patterns = [Self.eicar, marker]
        var hits: [Int] = []
        let keep = max(Self.eicar.count, marker.count)
        var window: [UInt8] = []
        var first: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "read \(sample.path): errno \(errno)")
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { digests.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            if first.count < 4 { first += chunk.prefix(min(n, 4 - first.count)) }
            window += chunk[0..<n]
            for (index, pattern) in patterns.enumerated() where !pattern.isEmpty && !hits.contains(index) {
                if Self.find(pattern, in: window) != nil { hits.append(index) }
            }
            // Keep enough of the tail for a match split across reads.
            if window.count > keep { window.removeFirst(window.count - keep) }
        }
        let hashes = digests.finish()
        let type = first.starts(with: Array("MZ".utf8)) ? "EXE" : "UNKNOWN"
        let facts = SampleFileFacts(md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256, type: type)

        var reasons: [FindingReason] = []
        for hit in hits {
            let isEicar = hit == 0
            let data = String(decoding: patterns[hit], as: UTF8.self)
            reasons.append(FindingReason(
                ruleName: isEicar ? "EICAR_Test_File" : "Fixture_Marker",
                subScore: isEicar ? 100 : 70,
                description: isEicar ? "EICAR anti-virus test file" : "Thunderstorm test fixture marker",
                author: "thunderstorm-testserver", reference: "https://www.eicar.org/download-anti-malware-testfile/",
                date: "2026-11-29", tags: isEicar ? ["TEST", "EICAR"] : ["TEST"],
                sigClass: "YARA Rule", sigType: "custom",
                matched: [data]))
        }
        if sample.fileName.lowercased().contains("mimikatz") {
            reasons.append(FindingReason(
                ruleName: "Fixture_Filename_Mimikatz", subScore: 50, description: "File name contains mimikatz",
                sigClass: "Filename IOC", sigType: "custom",
                matched: [sample.fileName]))
        }
        reasons.sort { $0.subScore > $1.subScore }
        let (score, level) = Self.combine(reasons.map(\.subScore))
        guard let level else { return .clean(facts) }
        return SampleVerdict(score: score, level: level, file: facts, reasons: reasons)
    }

    /// THOR 10.7 scoring: 100*(1-prod(1-s_i/100/2^i)), Notice 40, Warning 60, Alert 81 with a sub-score > 75.
    static func combine(_ subScores: [Int]) -> (Int, FindingLevel?) {
        let sorted = subScores.filter { $0 > 0 }.sorted(by: >)
        var product = 1.0
        for (i, s) in sorted.enumerated() { product *= 1 - Double(s) / 100 / Double(1 << min(i, 62)) }
        let score = Int((100 * (1 - product)).rounded())
        if score >= 81 && sorted.contains(where: { $0 > 75 }) { return (score, .alert) }
        if score >= 60 { return (score, .warning) }
        if score >= 40 { return (score, .notice) }
        return (score, nil)
    }

    static func find(_ pattern: [UInt8], in data: [UInt8]) -> Int? {
        guard !pattern.isEmpty, data.count >= pattern.count else { return nil }
        var i = 0
        while i <= data.count - pattern.count {
            guard let hit = data[i...(data.count - pattern.count)].firstIndex(of: pattern[0]) else { return nil }
            if data[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit }
            i = hit + 1
        }
        return nil
    }
}
