import CLibCrypto

/// MD5, SHA1 and SHA256 of one stream, fed chunk by chunk with libcrypto's EVP. One instance per
/// thread, reused across files: the contexts are made once and re-initialised per file.
public final class Hasher {
    public struct Digests: Sendable, Equatable {
        public var md5: [UInt8]
        public var sha1: [UInt8]
        public var sha256: [UInt8]
    }

    /// Each slice goes through all three digests while it is still in the core's L2 cache.
    static let slice = 64 << 10

    private let contexts: [OpaquePointer]
    private let algorithms: [OpaquePointer]

    public init() {
        algorithms = Self.fetchAlgorithms()
        contexts = algorithms.map { _ in EVP_MD_CTX_new() }
    }

    deinit { contexts.forEach { EVP_MD_CTX_free($0) } }

    /// OpenSSL 3 looks a legacy `EVP_md5()` up in its provider store on every DigestInit; fetched
    /// algorithms skip that per-file lookup.
    private static func fetchAlgorithms() -> [OpaquePointer] {
        let fetched = ["MD5", "SHA1", "SHA256"].compactMap { (name: String) in EVP_MD_fetch(nil, name, nil) }
        if fetched.count == 3 { return fetched }
        fetched.forEach { EVP_MD_free($0) }
        return [EVP_md5(), EVP_sha1(), EVP_sha256()]
    }

    public func reset() {
        for (ctx, md) in zip(contexts, algorithms) { EVP_DigestInit_ex(ctx, md, nil) }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let n = min(Self.slice, bytes.count - offset)
            for ctx in contexts { EVP_DigestUpdate(ctx, base + offset, n) }
            offset += n
        }
    }

    public func finish() -> Digests {
        var out: [[UInt8]] = []
        out.reserveCapacity(3)
        for ctx in contexts {
            var length: UInt32 = 0
            let digest = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
                EVP_DigestFinal_ex(ctx, buffer.baseAddress, &length)
                count = Int(length)
            }
            out.append(digest)
        }
        return Digests(md5: out[0], sha1: out[1], sha256: out[2])
    }

    /// The three digests of a whole buffer.
    public func digests(of bytes: UnsafeRawBufferPointer) -> Digests {
        reset()
        update(bytes)
        return finish()
    }
}

extension Hasher.Digests {
    /// The digests as the lower-case hex fields of a file object.
    var fields: [(key: String, value: String)] {
        [("md5", md5.hexString), ("sha1", sha1.hexString), ("sha256", sha256.hexString)]
    }
}

extension Array where Element == UInt8 {
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
