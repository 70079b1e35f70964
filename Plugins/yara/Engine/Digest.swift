import CLibCrypto

/// Streaming SHA-256 (libcrypto), used for the compiled-rules cache key.
struct SHA256Stream {
    private var context: OpaquePointer?

    init() {
        context = EVP_MD_CTX_new()
        if let context, EVP_DigestInit_ex(context, EVP_sha256(), nil) != 1 {
            EVP_MD_CTX_free(context)
            self.context = nil
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let context, let base = bytes.baseAddress else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    mutating func update(_ text: String) {
        var copy = text
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
        var separator: UInt8 = 0
        withUnsafeBytes(of: &separator) { update($0) }
    }

    /// Lower-case hex; nil when libcrypto could not allocate a context.
    mutating func finish() -> String? {
        guard let context else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        EVP_MD_CTX_free(context)
        self.context = nil
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for b in out.prefix(Int(length)) { text.append(hex[Int(b >> 4)]); text.append(hex[Int(b & 0xF)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
