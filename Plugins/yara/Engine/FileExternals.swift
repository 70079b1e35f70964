/// THOR's per-file external variables derived from a path, exactly as the parity reference
/// (../shared/bench/yara-reference.py) derives them.
public enum FileExternals {
    /// Python's os.path.splitext(name)[1].lower(): from the last dot, unless every character
    /// before it is a dot (".bashrc" has none, "a.tar.gz" -> ".gz", "name." -> ".").
    public static func extensionOf(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard let dot = bytes.lastIndex(of: 0x2E), bytes[..<dot].contains(where: { $0 != 0x2E }) else { return "" }
        return String(decoding: bytes[dot...], as: UTF8.self).lowercased()
    }

    /// filename / filepath / extension for a file at `directory` + "/" + `name`; `directory`
    /// without a trailing '/' (it is what the `filepath` external holds).
    public static func pathExternals(directory: String, name: String) -> [String: String] {
        ["filename": name, "filepath": directory, "extension": extensionOf(name)]
    }
}
