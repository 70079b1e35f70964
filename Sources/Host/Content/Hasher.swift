import CLibCrypto

/// MD5, SHA1 and SHA256 of one stream, fed chunk by chunk with libcrypto's EVP. One instance per
/// thread, reused across files.
public final class Hasher {
    public struct Digests: Sendable, Equatable {
        public var md5: [UInt8]
        public var sha1: [UInt8]
        public var sha256: [UInt8]
    }

    private let contexts: [OpaquePointer]
    private let algorithms: [OpaquePointer]

    public init() {
        algorithms = [EVP_md5(), EVP_sha1(), EVP_sha256()]
        contexts = algorithms.map { _ in EVP_MD_CTX_new() }
    }

    deinit { contexts.forEach { EVP_MD_CTX_free($0) } }

    public func reset() {
        for (ctx, md) in zip(contexts, algorithms) { EVP_DigestInit_ex(ctx, md, nil) }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        for ctx in contexts { EVP_DigestUpdate(ctx, base, bytes.count) }
    }

    public func finish() -> Digests {
        var out: [[UInt8]] = []
        for ctx in contexts {
            var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            EVP_DigestFinal_ex(ctx, &buffer, &length)
            out.append(Array(buffer.prefix(Int(length))))
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
