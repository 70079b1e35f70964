import Glibc

/// File names are bytes on Linux, Swift strings are Unicode: a name that is not valid UTF-8
/// (`bad\xFF.exe`, easy for an attacker to make) must still be opened, and shown.
///
/// Such a byte travels inside the path string as one private-use scalar, U+F700 + byte (the bytes
/// 0x80-0xFF map to U+F780-U+F7FF). So that every scalar in that range is such an escape, a name
/// that really holds one of them has its UTF-8 bytes escaped the same way. A path is turned back
/// into its bytes for every system call, and into `\xNN` text for the logs.
public enum RawPath {
    private static let escapes: ClosedRange<UInt32> = 0xF780...0xF7FF

    /// The path string for the file-system bytes of a name or path.
    public static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        // The common case, valid UTF-8 without U+F7xx (no lead byte 0xEF): taken as it is.
        if !bytes.contains(0xEF), let text = String(validating: bytes, as: UTF8.self) { return text }
        let raw = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < raw.count {
            let lead = raw[i]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
            let scalar = length > 0 && i + length <= raw.count
                ? String(validating: raw[i..<i + length], as: UTF8.self)?.unicodeScalars.first : nil
            if let scalar, !escapes.contains(scalar.value) {
                scalars.append(scalar)
                i += length
                continue
            }
            // An invalid byte alone (decoding resumes after it), or all bytes of a real U+F7xx.
            let escaped = scalar == nil ? 1 : length
            for byte in raw[i..<i + escaped] { scalars.append(Unicode.Scalar(0xF700 + UInt32(byte))!) }
            i += escaped
        }
        return String(scalars)
    }

    /// The bytes `path` stands for, NUL-terminated, for a system call.
    public static func cString(_ path: String) -> [CChar] {
        var bytes: [CChar] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(CChar(bitPattern: UInt8(scalar.value - 0xF700)))
            } else {
                for unit in UTF8.encode(scalar)! { bytes.append(CChar(bitPattern: unit)) }
            }
        }
        bytes.append(0)
        return bytes
    }

    /// Whether `path` holds escaped bytes (else it is its own bytes).
    public static func isEscaped(_ path: String) -> Bool {
        path.utf8.contains(0xEF) && path.unicodeScalars.contains { escapes.contains($0.value) }
    }

    /// `path` for the logs: every escaped byte as `\xNN`.
    public static func display(_ path: String) -> String {
        guard isEscaped(path) else { return path }
        var text = ""
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                let byte = scalar.value - 0xF700
                text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// realpath(3) of `path`, as a path string; nil with errno set when it cannot be resolved.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return string(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self), count: strlen(resolved)))
    }

    /// Calls `body` with the C string of `path`; escaped bytes are decoded only when there are any.
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        guard isEscaped(path) else { return try path.withCString(body) }
        return try cString(path).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
