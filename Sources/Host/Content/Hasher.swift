/// MD5, SHA1 and SHA256 of one stream, fed chunk by chunk. One instance per thread, reused across
/// files. The work is done by the fastest engine this CPU has (see `Engine`).
public final class Hasher {
    public struct Digests: Sendable, Equatable {
        public var md5: [UInt8]
        public var sha1: [UInt8]
        public var sha256: [UInt8]
    }

    public enum Engine: Sendable, CaseIterable {
        /// The three digests interleaved block by block in one pass (x86-64 with the SHA
        /// extensions): MD5's serial chain leaves the core idle, and the SHA work fills it.
        case interleaved
        /// Three libcrypto EVP digests, one after the other on each slice.
        case libcrypto

        /// `.interleaved` where the CPU supports it, else `.libcrypto`.
        public static var fastest: Engine { Engine.interleaved.isAvailable ? .interleaved : .libcrypto }

        public var isAvailable: Bool {
            #if arch(x86_64)
            return self == .libcrypto || InterleavedDigests.isAvailable
            #else
            return self == .libcrypto
            #endif
        }

        fileprivate func make() -> TripleDigest {
            #if arch(x86_64)
            if self == .interleaved { return InterleavedDigests() }
            #endif
            return LibCryptoDigests()
        }
    }

    public let engine: Engine
    private let digests: TripleDigest

    /// `engine` must be available on this CPU (`Engine.isAvailable`).
    public init(engine: Engine = .fastest) {
        precondition(engine.isAvailable, "the \(engine) digest engine needs CPU features this machine lacks")
        self.engine = engine
        digests = engine.make()
    }

    public func reset() { digests.reset() }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.baseAddress != nil, bytes.count > 0 else { return }
        digests.update(bytes)
    }

    public func finish() -> Digests { digests.finish() }

    /// The three digests of a whole buffer.
    public func digests(of bytes: UnsafeRawBufferPointer) -> Digests {
        reset()
        update(bytes)
        return finish()
    }
}

/// What an engine does for `Hasher`: the three digests of one stream at a time.
protocol TripleDigest: AnyObject {
    func reset()
    /// A non-empty buffer.
    func update(_ bytes: UnsafeRawBufferPointer)
    func finish() -> Hasher.Digests
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
