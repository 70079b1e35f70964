import Glibc

/// Reads a file once for the hashes and the modules. Small files land in one reusable buffer by
/// pread, each chunk hashed while it is still in the cache; large files are mapped, so the hashes
/// and every module read the same page-cache pages without a copy. When no module reads the bytes,
/// the file streams through a small buffer. One per worker thread.
final class ContentReader {
    /// The pread unit: small enough that a chunk is still in L2 when the three digests read it.
    static let chunk = 256 << 10
    /// Files from this size on are mapped instead of copied (when mapping is allowed).
    static let mapThreshold = 4 << 20
    /// Above this the buffer is given back after the file, so memory does not stay at the peak.
    private static let keepCapacity = 64 << 20
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var mapping: UnsafeRawBufferPointer?
    /// Mapping is only safe where a SIGBUS (a file truncated while it is scanned) costs a
    /// replaceable worker, not the scanner: the supervisor's in-process mode copies instead.
    let mapLargeFiles: Bool
    let hasher = Hasher()

    init(mapLargeFiles: Bool) {
        self.mapLargeFiles = mapLargeFiles
        capacity = Self.chunk
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        release()
        buffer.deallocate()
    }

    enum Failure: Error { case io(String) }

    /// Reads up to `count` bytes from the start; returns how many were read.
    func readHead(fd: Int32, count: Int) throws -> UnsafeRawBufferPointer {
        try reserve(count, preserving: 0)
        let n = try readFully(fd: fd, offset: 0, count: count)
        return UnsafeRawBufferPointer(start: buffer, count: n)
    }

    /// All `size` bytes of a file whose first `headCount` bytes are in the buffer, for the
    /// modules; hashed on the way when `hash` is set. Valid until `release()`.
    func readContent(fd: Int32, headCount: Int, size: Int, hash: Bool) throws -> (bytes: UnsafeRawBufferPointer, digests: Hasher.Digests?) {
        if mapLargeFiles && size >= Self.mapThreshold, let mapped = map(fd: fd, size: size) {
            mapping = mapped
            return (mapped, hash ? hasher.digests(of: mapped) : nil)
        }
        try reserve(size, preserving: headCount)
        let end = try readRest(fd: fd, headCount: headCount, size: size, keep: true, hash: hash)
        return (UnsafeRawBufferPointer(start: buffer, count: end), hash ? hasher.finish() : nil)
    }

    /// The digests of a whole file that no module reads: it streams through the first chunk of
    /// the buffer, after the `headCount` bytes already there. Returns the bytes hashed.
    func hashStream(fd: Int32, headCount: Int, size: Int) throws -> (count: Int, digests: Hasher.Digests) {
        let end = try readRest(fd: fd, headCount: headCount, size: size, keep: false, hash: true)
        return (end, hasher.finish())
    }

    /// Reads a file on from the `headCount` bytes in the buffer, in chunks kept in place (`keep`)
    /// or streamed through the buffer's first chunk, feeding the hasher (head first) when `hash`
    /// is set. Returns the offset reached: short of `size` when the file shrank while read.
    private func readRest(fd: Int32, headCount: Int, size: Int, keep: Bool, hash: Bool) throws -> Int {
        if hash {
            hasher.reset()
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: headCount))
        }
        var offset = headCount
        while offset < size {
            let n = try readFully(fd: fd, offset: offset, count: min(Self.chunk, size - offset), at: keep ? nil : 0)
            if n == 0 { break }
            if hash { hasher.update(UnsafeRawBufferPointer(start: buffer + (keep ? offset : 0), count: n)) }
            offset += n
        }
        return offset
    }

    /// Unmaps a mapped file and gives back an oversized buffer once the file is done.
    func release() {
        if let mapped = mapping, let base = mapped.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), mapped.count)
        }
        mapping = nil
        guard capacity > Self.keepCapacity else { return }
        buffer.deallocate()
        capacity = Self.chunk
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    private func map(fd: Int32, size: Int) -> UnsafeRawBufferPointer? {
        // Populated up front: every page is read at least three times (the digests, the modules).
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { return nil }
        return UnsafeRawBufferPointer(start: base, count: size)
    }

    private func reserve(_ count: Int, preserving kept: Int) throws {
        guard count > capacity else { return }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        grown.copyMemory(from: buffer, byteCount: kept)
        buffer.deallocate()
        buffer = grown
        capacity = count
    }

    /// Reads `count` bytes at file `offset` into the buffer at `at` (default: the same offset).
    private func readFully(fd: Int32, offset: Int, count: Int, at: Int? = nil) throws -> Int {
        let destination = buffer + (at ?? offset)
        var done = 0
        while done < count {
            let n = pread(fd, destination + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.io(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
