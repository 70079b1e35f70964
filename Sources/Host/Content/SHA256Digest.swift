import CLibCrypto

/// SHA-256 of a small byte string in one call (libcrypto's EVP), for identifiers derived from
/// content; files go through `Hasher`.
enum SHA256Digest {
    static func of(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            var length: UInt32 = 0
            let done = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, buffer.baseAddress, &length, EVP_sha256(), nil) }
            // EVP_Digest fails only without memory or a SHA-256 implementation: libcrypto is unusable then.
            precondition(done == 1 && length == 32, "libcrypto cannot compute SHA-256")
            count = 32
        }
    }
}
