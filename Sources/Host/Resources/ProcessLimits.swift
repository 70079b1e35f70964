import Glibc

/// Limits inherited from the shell that would cost results without a word (THOR warns on low
/// rlimits): a file size limit cuts logs and uploads, an address-space limit makes modules fail
/// to load rules or to scan large files.
enum ProcessLimits {
    struct Concern {
        let message: String
        let limit: String
    }

    static func concerns() -> [Concern] {
        var found: [Concern] = []
        if let bytes = softLimit(Int32(RLIMIT_FSIZE.rawValue)) {
            found.append(Concern(message: "File size limit (ulimit -f): log lines and uploaded samples beyond it are lost", limit: "\(bytes) bytes"))
        }
        if let bytes = softLimit(Int32(RLIMIT_AS.rawValue)) {
            found.append(Concern(message: "Address space limit (ulimit -v): modules may fail to load their signatures or to scan large files",
                                 limit: "\(bytes) bytes"))
        }
        return found
    }

    /// The soft limit, nil when unlimited.
    private static func softLimit(_ resource: Int32) -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return UInt64(limit.rlim_cur)
    }
}
