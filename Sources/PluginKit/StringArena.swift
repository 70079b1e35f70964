import PluginABI

/// Owns the bytes behind the `thor_str` values of one call across the ABI, and frees them
/// when the call is over (the other side copies what it keeps).
public final class StringArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    public init() {}

    deinit { for block in blocks { block.deallocate() } }

    public func str(_ string: String) -> thor_str {
        var copy = string
        return copy.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    public func bytes(_ source: UnsafeRawBufferPointer) -> thor_str {
        guard source.count > 0, let base = source.baseAddress else { return thor_str(ptr: nil, len: 0) }
        let block = UnsafeMutableRawPointer.allocate(byteCount: source.count, alignment: 1)
        block.copyMemory(from: base, byteCount: source.count)
        blocks.append(block)
        return thor_str(ptr: UnsafePointer(block.assumingMemoryBound(to: CChar.self)), len: source.count)
    }

    public func bytes(_ source: [UInt8]) -> thor_str {
        source.withUnsafeBytes { bytes($0) }
    }

    /// An array of C structs that lives as long as the arena.
    public func array<T>(_ elements: [T]) -> UnsafePointer<T>? {
        guard !elements.isEmpty else { return nil }
        let block = UnsafeMutablePointer<T>.allocate(capacity: elements.count)
        block.initialize(from: elements, count: elements.count)
        blocks.append(UnsafeMutableRawPointer(block))
        return UnsafePointer(block)
    }

    public func pointer<T>(_ value: T) -> UnsafePointer<T> {
        let block = UnsafeMutablePointer<T>.allocate(capacity: 1)
        block.initialize(to: value)
        blocks.append(UnsafeMutableRawPointer(block))
        return UnsafePointer(block)
    }
}

extension thor_str {
    /// Decodes the bytes as UTF-8, repairing invalid sequences.
    public var string: String {
        guard len > 0, let ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }

    public var rawBytes: UnsafeRawBufferPointer {
        guard len > 0, let ptr else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: ptr, count: len)
    }
}
