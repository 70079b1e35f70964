import Glibc

/// Asks the kernel to start reading a file that is about to be scanned, so that its disk reads
/// overlap the scan of the file before it. On a cold cache (the usual case on a host under
/// assessment) a worker otherwise waits for every file's first read with its core idle. The file
/// stays open for its scan, so a warm cache pays nothing twice.
struct ReadAhead {
    let settings: FileScanner.Settings

    /// Opens the file of `work` and starts reading what `FileScanner.scan` will read of it: the
    /// whole content up to the size limit when every file is read or its extension passes the
    /// gate, else the head. Returns the open regular file for the scan, or nil (the scan then opens
    /// it itself and reports what is wrong). Never blocks on a FIFO or device, never follows a
    /// symlink.
    func start(_ work: WorkItem) -> FileScanner.OpenFile? {
        // A submitted sample (it has a display name) was just written by the service: it is cached.
        guard work.displayPath == nil else { return nil }
        // O_NONBLOCK keeps a FIFO from blocking the open; it changes nothing for a regular file's reads.
        let fd = FileScanner.open(work, extraFlags: O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        let size = Int(info.st_size)
        let whole = settings.scanAllFiles || ScanGate.passes(extension: FileFields.fileExtension(of: work.path), magicType: nil)
        let length = whole && size <= settings.maxFileSize ? size : min(size, FileScanner.headSize)
        if length > 0 { _ = posix_fadvise(fd, 0, off_t(length), POSIX_FADV_WILLNEED) }
        return FileScanner.OpenFile(fd: fd, info: info)
    }
}

extension FileScanner {
    /// Scans `items` in order, each file opened and its read started while the one before it is
    /// scanned.
    func scanEach(_ items: [WorkItem], _ done: (Int, ScanOutcome) throws -> Void) rethrows {
        var next: OpenFile?
        // A batch abandoned half way (the supervisor went away) leaves no descriptor behind.
        defer { if let next { close(next.fd) } }
        for (index, item) in items.enumerated() {
            let opened = next
            next = index + 1 < items.count ? readAhead.start(items[index + 1]) : nil
            try done(index, scan(item, opened: opened))
        }
    }
}
