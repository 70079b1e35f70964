#if canImport(Glibc)
import CHostSystem
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes writes durable a file system at a time. On Linux one syncfs per file system: a batch of
/// N files costs one flush instead of N fsyncs one after the other (each a journal commit, or
/// without a journal a synchronous inode write), which held every async client waiting for its id.
/// Elsewhere, or where a seccomp profile refuses syncfs, an fsync per path.
///
/// syncfs reports the write errors that happened since its descriptor was opened. The descriptor
/// of each file system stays open from its first flush, so an error is reported to this flusher
/// even after another process's syncfs has seen it. It is a folder's, which keeps no deleted
/// file's space in use. Not thread-safe: the group commit thread owns one.
final class FileSystemFlusher {
    private var descriptors: [UInt64: Int32] = [:]
    private let wholeFileSystems: Bool

    /// `wholeFileSystems: false` flushes path by path (an fsync each), as where syncfs is refused.
    init(wholeFileSystems: Bool = true) {
        self.wholeFileSystems = wholeFileSystems && Self.syncfsWorks
    }

    /// Whether syncfs is there and allowed. Asked once, of /proc, where a syncfs writes nothing.
    private static let syncfsWorks: Bool = {
        #if os(Linux)
        let fd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return thor_syncfs(fd) == 0
        #else
        return false
        #endif
    }()

    deinit {
        descriptors.values.forEach { close($0) }
    }

    /// Makes what was written to `paths` (files or folders) durable; answers, per path, the
    /// error that kept it from being so (every path of a file system whose flush failed).
    func flush(_ paths: [String]) -> [String: any Error] {
        var errors: [String: any Error] = [:]
        guard wholeFileSystems else {
            for path in paths {
                do { try DurableFiles.fsyncPath(path) } catch { errors[path] = error }
            }
            return errors
        }
        #if os(Linux)
        var devices: [String: UInt64] = [:]
        var failed: [UInt64: any Error] = [:]
        var flushed = Set<UInt64>()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                errors[path] = DurableFiles.IOError(operation: "stat", path: path, code: errno)
                continue
            }
            let device = UInt64(info.st_dev)
            devices[path] = device
            guard flushed.insert(device).inserted else { continue }
            let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
            guard let fd = descriptor(device, folder: isFolder ? path : DurableFiles.directory(of: path)) else {
                failed[device] = DurableFiles.IOError(operation: "open", path: path, code: errno)
                continue
            }
            if thor_syncfs(fd) != 0 { failed[device] = DurableFiles.IOError(operation: "syncfs", path: path, code: errno) }
        }
        for (path, device) in devices {
            if let error = failed[device] { errors[path] = error }
        }
        #endif
        return errors
    }

    #if os(Linux)
    /// The kept descriptor of `device`, opening `folder` (which must be on it) the first time.
    private func descriptor(_ device: UInt64, folder: String) -> Int32? {
        if let fd = descriptors[device] { return fd }
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, UInt64(info.st_dev) == device else {
            close(fd)
            errno = EXDEV
            return nil
        }
        descriptors[device] = fd
        return fd
    }
    #endif
}
