import Glibc

/// Reads a file into one reusable buffer with pread, hashing each chunk as it arrives, so every
/// module sees the bytes of the same single read. One per worker thread.
final class ContentReader {
    private static let chunk = 1 << 20
    /// Above this the buffer is given back after the file, so memory does not stay at the peak.
    private static let keepCapacity = 64 << 20
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    let hasher = Hasher()

    init() {
        capacity = Self.chunk
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    enum Failure: Error { case io(String) }

    /// Reads up to `count` bytes from the start; returns how many were read.
    func readHead(fd: Int32, count: Int) throws -> UnsafeRawBufferPointer {
        try reserve(count, preserving: 0)
        let n = try readFully(fd: fd, offset: 0, count: count)
        return UnsafeRawBufferPointer(start: buffer, count: n)
    }

    /// Completes the read of a file whose first `headCount` bytes are in the buffer, hashing all.
    func readRest(fd: Int32, headCount: Int, size: Int) throws -> (bytes: UnsafeRawBufferPointer, digests: Hasher.Digests) {
        try reserve(size, preserving: headCount)
        hasher.reset()
        hasher.update(UnsafeRawBufferPointer(start: buffer, count: headCount))
        var offset = headCount
        while offset < size {
            let n = try readFully(fd: fd, offset: offset, count: min(Self.chunk, size - offset))
            if n == 0 { break } // the file shrank while we read it
            hasher.update(UnsafeRawBufferPointer(start: buffer + offset, count: n))
            offset += n
        }
        return (UnsafeRawBufferPointer(start: buffer, count: offset), hasher.finish())
    }

    /// Gives back an oversized buffer once the file is done.
    func release() {
        guard capacity > Self.keepCapacity else { return }
        buffer.deallocate()
        capacity = Self.chunk
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    private func reserve(_ count: Int, preserving kept: Int) throws {
        guard count > capacity else { return }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
        grown.copyMemory(from: buffer, byteCount: kept)
        buffer.deallocate()
        buffer = grown
        capacity = count
    }

    private func readFully(fd: Int32, offset: Int, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + offset + done, count - done, off_t(offset + done))
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
