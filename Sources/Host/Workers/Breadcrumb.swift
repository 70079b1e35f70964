import CHostSystem
import Glibc

/// A page of memory shared by a worker and its supervisor, holding the name of the module the
/// worker is running and how many objects of the current batch it finished. Writing it costs no
/// system call, so it can be set before every module call; the supervisor reads it after the
/// worker died.
final class Breadcrumb: @unchecked Sendable {
    private static let size = 4096
    /// The count of finished objects sits in the last 4 bytes; the name before it.
    private static let countOffset = size - 4
    private static let maxName = countOffset - 2
    private let page: UnsafeMutableRawPointer
    let fd: Int32

    /// A new shared page (supervisor side).
    init() throws {
        fd = thor_memfd_create("thor-breadcrumb")
        guard fd >= 0, ftruncate(fd, off_t(Self.size)) == 0 else { throw ConfigError("memfd_create: \(String(cString: strerror(errno)))") }
        page = try Self.map(fd)
    }

    /// The page the supervisor passed as `fd` (worker side).
    init(fd: Int32) throws {
        self.fd = fd
        page = try Self.map(fd)
    }

    private static func map(_ fd: Int32) throws -> UnsafeMutableRawPointer {
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            throw ConfigError("mmap breadcrumb: \(String(cString: strerror(errno)))")
        }
        return p
    }

    deinit {
        munmap(page, Self.size)
        close(fd)
    }

    func set(_ module: String) {
        var name = module
        name.withUTF8 { bytes in
            let n = min(bytes.count, Self.maxName)
            page.storeBytes(of: UInt16(0), toByteOffset: 0, as: UInt16.self)
            if n > 0 { (page + 2).copyMemory(from: bytes.baseAddress!, byteCount: n) }
            page.storeBytes(of: UInt16(n), toByteOffset: 0, as: UInt16.self)
        }
    }

    /// Objects of the current batch the worker finished (the supervisor sets 0 before a batch).
    var finishedObjects: Int {
        get { Int(page.load(fromByteOffset: Self.countOffset, as: UInt32.self)) }
        set { page.storeBytes(of: UInt32(clamping: newValue), toByteOffset: Self.countOffset, as: UInt32.self) }
    }

    func clear() { page.storeBytes(of: UInt16(0), toByteOffset: 0, as: UInt16.self) }

    /// The module last set, or nil when the worker was in host code.
    func read() -> String? {
        let n = Int(page.load(fromByteOffset: 0, as: UInt16.self))
        guard n > 0, n <= Self.maxName else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: page + 2, count: n), as: UTF8.self)
    }
}
