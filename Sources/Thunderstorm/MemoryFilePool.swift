import NIOConcurrencyHelpers
#if canImport(Glibc)
import CHostSystem
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory files kept for the next synchronous uploads. A new memfd per sample costs a shmem inode
/// made and freed again (memfd_create and close were 5% of the service's own CPU per small sample,
/// profiled). A small sample's pages stay for the next one, which writes over them at its own
/// offsets and cuts the file to its size (`UploadFile`): no pages freed, zeroed and charged again
/// per sample. A larger one's are freed, so the pool holds at most `capacity` x `keptBytes`.
/// At most `capacity` files wait here; the rest are closed.
///
/// Uploads in memory files together hold at most `budget` bytes: each one's growth is reserved
/// here, and one that finds no room moves to the upload directory (UploadFile). Without it, many
/// clients uploading at once would each keep up to the per-file limit in memory, enough to exhaust
/// the host's memory.
final class MemoryFilePool: Sendable {
    private let capacity: Int
    static let keptBytes: Int64 = 256 << 10
    private let idle = NIOLockedValueBox<[Int32]>([])
    let budget: Int64
    private let reserved = NIOLockedValueBox<Int64>(0)

    init(capacity: Int, budget: Int64 = .max) {
        self.capacity = max(0, capacity)
        self.budget = max(0, budget)
    }

    /// Takes `bytes` of the budget for an upload's growth; false when they do not fit.
    func reserve(_ bytes: Int64) -> Bool {
        reserved.withLockedValue { held in
            guard held + bytes <= budget else { return false }
            held += bytes
            return true
        }
    }

    /// Gives back what an upload reserved, when it leaves memory.
    func release(_ bytes: Int64) {
        reserved.withLockedValue { $0 -= bytes }
    }

    /// Bytes reserved by uploads in memory now.
    var reservedBytes: Int64 { reserved.withLockedValue { $0 } }

    deinit {
        idle.withLockedValue { $0.forEach { close($0) } }
    }

    /// A memory file (it may hold an earlier sample's bytes), or -1 when none can be made (no memfd on this system).
    func take() -> Int32 {
        if let fd = idle.withLockedValue({ $0.popLast() }) { return fd }
        #if os(Linux)
        return thor_memfd_create("thunderstorm-sample")
        #else
        return -1
        #endif
    }

    /// Keeps `fd`, whose upload wrote `size` bytes, for the next upload; closes it when the pool is
    /// full or its pages cannot be freed.
    func giveBack(_ fd: Int32, size: Int64) {
        guard capacity > 0, size <= Self.keptBytes || ftruncate(fd, 0) == 0 else {
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
