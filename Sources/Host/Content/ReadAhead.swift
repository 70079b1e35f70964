import CHostSystem
import Glibc

/// Asks the kernel to start reading a file that is about to be scanned, so that its disk reads
/// overlap the scan of the file before it. On a cold cache (the usual case on a host under
/// assessment) a worker otherwise waits for every file's first read with its core idle. On a warm
/// cache it costs an open, fstat and close.
struct ReadAhead {
    let settings: FileScanner.Settings

    /// Starts reading what `FileScanner.scan` will read of the file at `path`: the whole content up
    /// to the size limit when every file is read or its extension passes the gate, else the head.
    /// Never blocks (a FIFO or device is left alone), never follows a symlink, and ignores
    /// every failure: the scan reports those.
    func start(_ work: WorkItem) {
        // A submitted sample (it has a display name) was just written by the service: it is cached.
        guard work.displayPath == nil else { return }
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW
        var fd = open(work.path, flags | THOR_O_NOATIME)
        if fd < 0 && errno == EPERM { fd = open(work.path, flags) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return }
        let size = Int(info.st_size)
        let whole = settings.scanAllFiles || ScanGate.passes(extension: FileFields.fileExtension(of: work.path), magicType: nil)
        let length = whole && size <= settings.maxFileSize ? size : min(size, FileScanner.headSize)
        _ = posix_fadvise(fd, 0, off_t(length), POSIX_FADV_WILLNEED)
    }
}

extension FileScanner {
    /// Scans `items` in order, each file's read started while the one before it is scanned.
    func scanEach(_ items: [WorkItem], _ done: (Int, ScanOutcome) throws -> Void) rethrows {
        for (index, item) in items.enumerated() {
            if index + 1 < items.count { readAhead.start(items[index + 1]) }
            try done(index, scan(item))
        }
    }
}
