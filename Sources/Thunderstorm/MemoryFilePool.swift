import NIOConcurrencyHelpers
#if canImport(Glibc)
import CHostSystem
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Emptied memory files kept for the next synchronous uploads. A new memfd per sample costs a
/// shmem inode made and freed again (memfd_create and close were 5% of the service's own CPU per
/// small sample, profiled); an emptied one is as good as new: size 0, offset 0, no pages.
/// At most `capacity` wait here; the rest are closed.
final class MemoryFilePool: Sendable {
    private let capacity: Int
    private let idle = NIOLockedValueBox<[Int32]>([])

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    deinit {
        idle.withLockedValue { $0.forEach { close($0) } }
    }

    /// An empty memory file, or -1 when none can be made (no memfd on this system).
    func take() -> Int32 {
        if let fd = idle.withLockedValue({ $0.popLast() }) { return fd }
        #if os(Linux)
        return thor_memfd_create("thunderstorm-sample")
        #else
        return -1
        #endif
    }

    /// Empties `fd` for the next upload, or closes it when it cannot be emptied or the pool is full.
    func giveBack(_ fd: Int32) {
        guard capacity > 0, ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            return
        }
        let kept = idle.withLockedValue { fds -> Bool in
            guard fds.count < capacity else { return false }
            fds.append(fd)
            return true
        }
        if !kept { close(fd) }
    }
}
