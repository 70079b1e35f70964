import Glibc

/// One regular file found by the walker, with its lstat data.
public struct WalkedFile: Sendable {
    public let path: String
    public let info: stat
}

/// Walks directory trees without following symlinks, staying off pseudo file systems (/proc,
/// /sys, /dev, ...) and, unless asked, network file systems; applies path excludes to files and
/// directories. Iterative, so deep trees cannot exhaust the stack.
public struct FileWalker {
    public struct Options: Sendable {
        public var excludes: PatternList?
        public var includeNetworkFileSystems = false
        public var includePseudoFileSystems = false
        public init() {}
    }

    public enum Event {
        case file(WalkedFile)
        case excluded(String)
        case skippedFileSystem(String, String)
        case error(String, String)
    }

    private static let pseudoRoots = ["/proc", "/sys", "/dev"]
    let options: Options

    public init(options: Options) { self.options = options }

    /// Calls `visit` for every event; stops early when it returns false.
    /// The root the user named is walked under its real, absolute path: a log read later, elsewhere,
    /// must say where a file was, and a root that is a link (Debian's /bin -> usr/bin) is followed,
    /// once. Links inside the tree are not followed.
    public func walk(_ given: String, _ visit: (Event) -> Bool) {
        guard let root = RawPath.realPath(given) else {
            _ = visit(.error(given, "cannot access: \(String(cString: strerror(errno)))"))
            return
        }
        var info = stat()
        guard RawPath.withCString(root, { lstat($0, &info) }) == 0 else {
            _ = visit(.error(root, "cannot access: \(String(cString: strerror(errno)))"))
            return
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            _ = visit(.file(WalkedFile(path: root, info: info)))
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            // A device, pipe or socket named as a path: reading it could block or never end.
            _ = visit(.error(root, "not a regular file or a folder (\(Self.kind(info.st_mode)))"))
            return
        }
        // Each directory carries the device its own lstat (in its parent's listing) gave, so it is
        // not stat'ed twice; crossing onto another device triggers the file-system check.
        var stack: [(path: String, device: UInt, parentDevice: UInt)] = [(root, UInt(info.st_dev), UInt.max)]
        while let (dir, device, parentDevice) = stack.popLast() {
            if device != parentDevice, let reason = skipReason(dir) {
                if !visit(.skippedFileSystem(dir, reason)) { return }
                continue
            }
            guard let handle = RawPath.withCString(dir, { opendir($0) }) else {
                if !visit(.error(dir, "cannot open directory: \(String(cString: strerror(errno)))")) { return }
                continue
            }
            var subdirectories: [(String, UInt)] = []
            while let entry = readdir(handle) {
                // The name's bytes as they are: one that is not UTF-8 is escaped, not replaced (RawPath).
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    RawPath.string(raw.prefix(strlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self))))
                }
                if name == "." || name == ".." { continue }
                let path = dir == "/" ? "/" + name : dir + "/" + name
                if let excludes = options.excludes, excludes.matches(path) {
                    if !visit(.excluded(path)) { closedir(handle); return }
                    continue
                }
                var child = stat()
                guard RawPath.withCString(path, { lstat($0, &child) }) == 0 else {
                    if !visit(.error(path, "cannot stat: \(String(cString: strerror(errno)))")) { closedir(handle); return }
                    continue
                }
                switch child.st_mode & S_IFMT {
                case S_IFREG:
                    if !visit(.file(WalkedFile(path: path, info: child))) { closedir(handle); return }
                case S_IFDIR:
                    subdirectories.append((path, UInt(child.st_dev)))
                default:
                    continue // symlinks, devices, sockets, fifos are not followed or read
                }
            }
            closedir(handle)
            // Reverse so that the directory listed first is walked first.
            for (sub, subDevice) in subdirectories.reversed() { stack.append((sub, subDevice, device)) }
        }
    }

    private func skipReason(_ dir: String) -> String? {
        if !options.includePseudoFileSystems, Self.pseudoRoots.contains(where: { dir == $0 || dir.hasPrefix($0 + "/") }) {
            return "pseudo file system"
        }
        switch FileSystemKind.of(path: dir) {
        case .pseudo where !options.includePseudoFileSystems: return "pseudo file system"
        case .network where !options.includeNetworkFileSystems: return "network file system"
        default: return nil
        }
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFIFO: return "named pipe"
        case S_IFSOCK: return "socket"
        default: return "special file"
        }
    }
}
