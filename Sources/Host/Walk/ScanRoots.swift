/// The paths given with -p, each with the one that already covers it: the same folder named twice
/// (`/srv` and `/srv/`), or a folder inside another given one (`-p / -p /home`), would be walked
/// twice and every finding in it reported twice.
public enum ScanRoots {
    public struct Root: Equatable, Sendable {
        public let path: String
        /// The given path whose walk includes this one; nil when this one is walked.
        public let coveredBy: String?
    }

    public static func plan(_ paths: [String]) -> [Root] {
        let real = paths.map(resolve)
        return paths.indices.map { i in
            let cover = paths.indices.first { j in
                j != i && (real[j] == real[i] ? j < i : contains(real[j], real[i]))
            }
            return Root(path: paths[i], coveredBy: cover.map { paths[$0] })
        }
    }

    /// The real path as the walker will walk it; a path that cannot be resolved stays as given (its walk reports why).
    private static func resolve(_ path: String) -> String {
        RawPath.realPath(path) ?? path
    }

    private static func contains(_ folder: String, _ path: String) -> Bool {
        folder == "/" ? path != "/" : path.hasPrefix(folder + "/")
    }
}
