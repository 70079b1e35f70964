import CHostSystem
import Glibc

/// Tells pseudo and network file systems apart by their statfs magic, so the walker can stay on
/// real local disks unless asked otherwise.
enum FileSystemKind {
    case local, pseudo, network

    private static let pseudoMagics: Set<Int> = [
        0x9fa0, 0x6265_6572, 0x1cd1, 0x0027_e0eb, 0x6367_7270, 0x6462_6720, 0x7363_6673, 0x7472_6163,
        0xcafe_4a11, 0x6165_676c, 0x6265_6570, 0x0187, 0x1980_0202, 0x4249_4e4d, 0x9584_58f6,
        0x5346_4f53, // proc, sysfs, devpts, cgroup, cgroup2, debugfs, securityfs, tracefs, bpf, pstore, configfs, autofs, mqueue, binfmt_misc, hugetlbfs, nsfs
    ]
    private static let networkMagics: Set<Int> = [
        0x6969, 0xff53_4d42, 0xfe53_4d42, 0x517b, 0x564c, 0x6573_5546, 0x0000_6e66, 0x0bd0_0bd0,
        0x0102_1997, // nfs, cifs, smb2, smb, ncp, fuse, nfsd, lustre, v9fs
    ]

    static func of(path: String) -> FileSystemKind {
        var info = statfs()
        guard RawPath.withCString(path, { statfs($0, &info) }) == 0 else { return .local }
        let magic = Int(UInt32(truncatingIfNeeded: info.f_type))
        if pseudoMagics.contains(magic) { return .pseudo }
        if networkMagics.contains(magic) { return .network }
        return .local
    }
}
