import TestSupport
/// Sample contents and their known digests (EICAR's are the published ones).
enum Samples {
    static let eicar = EICAR.bytes
    static let eicarMD5 = EICAR.md5
    static let eicarSHA1 = EICAR.sha1
    static let eicarSHA256 = EICAR.sha256
    static let eicarFirstBytes = "58354f2150254041505b345c505a58353428505e / X5O!P%@AP[4\\PZX54(P^"
    static let clean = Array("hello thunderstorm\n".utf8)
    static let marker = Array("prefix THUNDERSTORM-TEST-MARKER suffix".utf8)

    /// SHA-256 of the samples above and of a few more (from sha256sum).
    static func sha256(_ content: [UInt8]) -> String {
        let known: [String: String] = [
            String(decoding: eicar, as: UTF8.self): eicarSHA256,
            "hello thunderstorm\n": "fcb8e5fe89d9c1bdc200ab2c51bc766828ee6f2183983fc05c5dc0634ae43556",
            "pad THUNDERSTORM-TEST-MARKER pad\n": "1c8aa670803a6ca91c1147ae97e73bb419fd92e85b78fd06c2ed1f98a1c90dc6",
            "notes\n": "444e0fffbd825e9610ff5b199485707a0c895339ae80c15cc8a8aee41b106fda",
        ]
        return known[String(decoding: content, as: UTF8.self)] ?? "unknown sample"
    }
}
