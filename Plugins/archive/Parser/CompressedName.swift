/// The name of the one file in a compressed file (gzip, bzip2, xz), after the compressed file's
/// own: without its suffix, a `.tgz`, `.tbz2`, `.tbz` or `.txz` holding a `.tar`.
public enum CompressedName {
    private static let suffixes: [(String, String)] = [
        (".tgz", ".tar"), (".tbz2", ".tar"), (".tbz", ".tar"), (".txz", ".tar"), (".gz", ""), (".bz2", ""), (".xz", ""),
    ]

    public static func member(of archiveName: String) -> String {
        let lower = archiveName.lowercased()
        for (suffix, replacement) in suffixes where lower.hasSuffix(suffix) && lower.count > suffix.count {
            return String(archiveName.dropLast(suffix.count)) + replacement
        }
        return archiveName + ".unpacked"
    }
}
