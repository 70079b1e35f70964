import Glibc

/// write(2) until every byte is out, through partial writes and EINTR: the one loop behind the
/// text and JSON logs and the HTML report.
enum WriteAll {
    /// The bytes written, and 0 or the errno that stopped it (ENOSPC when the file took nothing more).
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, error: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return (offset, n < 0 ? errno : ENOSPC) }
            offset += n
        }
        return (offset, 0)
    }
}
