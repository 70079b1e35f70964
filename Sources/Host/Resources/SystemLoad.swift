import Foundation

/// Readings of the whole system from /proc: CPU use between two samples, available memory, and
/// the processes using the most memory.
enum SystemLoad {
    struct CPUSample {
        var busy: UInt64
        var total: UInt64
    }

    static func cpuSample() -> CPUSample? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 4 else { return nil }
        let idle = values[3] + (values.count > 4 ? values[4] : 0) // idle + iowait
        let total = values.reduce(0, +)
        return CPUSample(busy: total - idle, total: total)
    }

    /// Percent of all CPUs busy between two samples.
    static func cpuPercent(from a: CPUSample, to b: CPUSample) -> Double {
        guard b.total > a.total else { return 0 }
        return Double(b.busy &- a.busy) / Double(b.total - a.total) * 100
    }

    /// MemAvailable in MB.
    static func availableMemoryMB() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 / 1024 }
        }
        return nil
    }

    struct ProcessMemory {
        var pid: Int
        var name: String
        var command: String
        var percent: Double
    }

    /// The `count` processes with the largest resident memory, as a share of physical memory.
    static func topMemoryConsumers(_ count: Int) -> [ProcessMemory] {
        let pageKB = Double(sysconf(Int32(_SC_PAGESIZE))) / 1024
        let totalKB = Double(sysconf(Int32(_SC_PHYS_PAGES))) * pageKB
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int($0) }
        var all: [ProcessMemory] = []
        for pid in pids {
            guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8),
                  let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }), pages > 0 else { continue }
            let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            let cmd = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))).map {
                String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            } ?? ""
            all.append(ProcessMemory(pid: pid, name: name, command: cmd, percent: pages * pageKB / max(totalKB, 1) * 100))
        }
        return Array(all.sorted { $0.percent > $1.percent }.prefix(count))
    }
}
