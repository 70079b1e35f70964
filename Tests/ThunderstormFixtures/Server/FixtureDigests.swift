import CLibCrypto

/// MD5, SHA-1 and SHA-256 of a stream, through OpenSSL's EVP API (test fixture only).
struct FixtureDigests {
    private let contexts: [OpaquePointer]

    init() {
        let algorithms = [EVP_md5(), EVP_sha1(), EVP_sha256()]
        contexts = algorithms.map { algorithm in
            let context = EVP_MD_CTX_new()!
            EVP_DigestInit_ex(context, algorithm, nil)
            return context
        }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        for context in contexts { EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) }
    }

    /// Hex digests (md5, sha1, sha256); frees the contexts.
    func finish() -> (md5: String, sha1: String, sha256: String) {
        let hex = contexts.map { context -> String in
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, &digest, &length)
            EVP_MD_CTX_free(context)
            return digest.prefix(Int(length)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        return (hex[0], hex[1], hex[2])
    }
}
