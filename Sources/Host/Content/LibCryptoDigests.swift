import CLibCrypto

/// The three digests with libcrypto's EVP, one after the other on each slice. The contexts are
/// made once and re-initialised per file.
final class LibCryptoDigests: TripleDigest {
    /// Each slice goes through all three digests while it is still in the core's L2 cache.
    static let slice = 64 << 10

    private let contexts: [OpaquePointer]
    private let algorithms: [OpaquePointer]

    init() {
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

    func reset() {
        for (ctx, md) in zip(contexts, algorithms) { EVP_DigestInit_ex(ctx, md, nil) }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = min(Self.slice, bytes.count - offset)
            for ctx in contexts { EVP_DigestUpdate(ctx, base + offset, n) }
            offset += n
        }
    }

    func finish() -> Hasher.Digests {
        let out = contexts.map { ctx in
            [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
                var length: UInt32 = 0
                EVP_DigestFinal_ex(ctx, buffer.baseAddress, &length)
                count = Int(length)
            }
        }
        return Hasher.Digests(md5: out[0], sha1: out[1], sha256: out[2])
    }
}
