#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files of the signature folders a module reads, in which order, and THOR's file-name tags
/// (thor-spec 4.1-4.3): the extension picks a file's format (the module's choice), a `\W<tag>\W`
/// tag in its name the sub-type. POSIX calls, so that modules without Foundation stay without it.
public enum SignatureFolder {
    /// The files directly inside each folder whose names `accept` takes. Hidden names (leading '.')
    /// and folders are left out; each folder's names come in byte order (C locale, as LOKI and
    /// signature-base's build scripts sort them), folders in the order given, each path once.
    /// A folder that cannot be read gives no files.
    public static func files(in directories: [String], where accept: (String) -> Bool) -> [(path: String, name: String)] {
        var out: [(path: String, name: String)] = []
        var seen = Set<String>()
        for dir in directories {
            let names = entryNames(dir).filter { !$0.hasPrefix(".") && accept($0) }
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                guard isNonDirectory(path), seen.insert(path).inserted else { continue }
                out.append((path, name))
            }
        }
        return out
    }

    /// The value of the first of `tags` that the file name carries (see `fileName(_:hasTag:)`);
    /// the order matters where one tag contains another ("falsepositive-hashes" holds "hashes").
    public static func firstTag<Value>(of name: String, in tags: [(tag: String, value: Value)]) -> Value? {
        tags.first { fileName(name, hasTag: $0.tag) }?.value
    }

    /// THOR's `\W<tag>\W` test on "/" + `name`, ASCII case-insensitive: the folder separator is the
    /// non-word character before a tag at the start ("c2-iocs.txt" has "c2"), but a character must
    /// follow the tag ("x-c2" has none), and '_' is a word character ("my_c2_iocs.txt" has none).
    public static func fileName(_ name: String, hasTag tag: String) -> Bool {
        var name = name, tag = tag
        return name.withUTF8 { s in
            tag.withUTF8 { t in
                guard !t.isEmpty, s.count > t.count else { return false }
                candidates: for start in 0..<(s.count - t.count) {
                    if (start > 0 && isWordByte(s[start - 1])) || isWordByte(s[start + t.count]) { continue }
                    for i in 0..<t.count where asciiLower(s[start + i]) != asciiLower(t[i]) { continue candidates }
                    return true
                }
                return false
            }
        }
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }

    /// Every name in a folder (with "." and ".."); none when it cannot be opened.
    static func entryNames(_ dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names
    }

    /// Whether `path` exists (following links) and is not a folder.
    static func isNonDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
    }
}
