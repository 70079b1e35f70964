#if canImport(Glibc)
import CHostSystem
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an upload's bytes land. On Linux a synchronous sample starts in a memory file (memfd, as
/// THOR keeps Thunderstorm uploads in memory files there) and moves to a file in the upload
/// directory once it outgrows `memoryLimit` or the pool's budget for all uploads in memory has no
/// room for it, so memory stays bounded whatever the uploads' sizes and number.
/// Other samples (async ones must be durable) go to the upload directory from the first byte.
struct UploadFile {
    private(set) var fd: Int32
    /// A path any process of this user can open: `/proc/<pid>/fd/<n>` for a memory file.
    private(set) var path: String
    private(set) var inMemory: Bool
    private let directory: String
    private let memoryLimit: Int64
    /// Where the memory file comes from and goes back to.
    private let pool: MemoryFilePool
    private var size: Int64 = 0
    #if os(Linux)
    /// This process's descriptors as other processes reach them (a getpid per upload saved).
    private static let ownFDs = "/proc/\(getpid())/fd/"
    #endif

    /// `memoryLimit` 0 writes to `directory` from the start. The default pool keeps no file: each
    /// upload makes its own memory file and closes it.
    init(directory: String, memoryLimit: Int64, pool: MemoryFilePool = MemoryFilePool(capacity: 0)) throws {
        self.directory = directory
        self.memoryLimit = memoryLimit
        self.pool = pool
        #if os(Linux)
        if memoryLimit > 0 {
            let fd = pool.take()
            if fd >= 0 {
                self.fd = fd
                path = Self.ownFDs + String(fd)
                inMemory = true
                return
            }
        }
        #endif
        (fd, path) = try Self.createOnDisk(directory)
        inMemory = false
    }

    private static func createOnDisk(_ directory: String) throws -> (Int32, String) {
        let path = directory + "/upload-" + String(UInt64.random(in: 1...UInt64.max), radix: 16) + ".part"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DurableFiles.IOError(operation: "open", path: path, code: errno) }
        return (fd, path)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        let count = Int64(bytes.count)
        if inMemory && (size + count > memoryLimit || !pool.reserve(count)) { try moveToDisk() }
        do {
            // At the upload's own offset: a pooled memory file comes back with its pages and offset.
            try DurableFiles.writeAll(fd: fd, bytes, at: off_t(size), path: path)
        } catch {
            // Not written, so not held: `discard` gives back only `size`.
            if inMemory { pool.release(count) }
            throw error
        }
        size += count
    }

    private mutating func moveToDisk() throws {
        let (diskFD, diskPath) = try Self.createOnDisk(directory)
        do {
            try Self.copy(from: fd, length: size, to: diskFD, path: diskPath)
        } catch {
            close(diskFD)
            unlink(diskPath)
            throw error
        }
        pool.release(size)
        pool.giveBack(fd, size: size)
        (fd, path, inMemory) = (diskFD, diskPath, false)
    }

    /// Copies the first `length` bytes of `source` to `target`.
    static func copy(from source: Int32, length: Int64, to target: Int32, path: String) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while offset < length {
            let n = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress, min($0.count, Int(length - Int64(offset))), offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DurableFiles.IOError(operation: "read", path: path, code: errno)
            }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try DurableFiles.writeAll(fd: target, UnsafeRawBufferPointer(rebasing: $0[0..<n]), at: offset, path: path) }
            offset += off_t(n)
        }
    }

    /// Done writing; a disk file is closed (its path stays), a memory file is cut to this upload's
    /// size (a pooled one may hold more of an earlier sample) and stays open until `discard`.
    mutating func finishWriting() throws {
        if inMemory {
            guard ftruncate(fd, off_t(size)) == 0 else { throw DurableFiles.IOError(operation: "ftruncate", path: path, code: errno) }
            return
        }
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    /// Frees the bytes: closes a memory file (or gives it back to its pool), deletes a disk file
    /// (a no-op once it was moved away).
    func discard() {
        if inMemory {
            pool.release(size)
            pool.giveBack(fd, size: size)
            return
        }
        if fd >= 0 { close(fd) }
        unlink(path)
    }

    /// Stores the bytes under `target` (a rename on disk, a copy out of memory); false on failure.
    func keep(as target: String) -> Bool {
        guard inMemory else { return rename(path, target) == 0 }
        let out = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { return false }
        defer { close(out) }
        do {
            try Self.copy(from: fd, length: size, to: out, path: target)
            return true
        } catch {
            unlink(target)
            return false
        }
    }
}
