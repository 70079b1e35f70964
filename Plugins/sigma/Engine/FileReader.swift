#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file helpers without Foundation's FileManager overhead (rule directories hold thousands of files).
enum FileReader {
    /// Whole file, nil when unreadable or larger than `limit` (rule and config files are small).
    static func read(_ path: String, limit: Int = 4 << 20) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            out += buffer[0..<n]
            if out.count > limit { return nil }
        }
        return out
    }
}
