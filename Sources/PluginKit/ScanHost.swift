import PluginABI

/// The host's callbacks for the current call, bound to its context.
public struct ScanHost {
    let api: UnsafePointer<thor_host_api>
    let ctx: UnsafeMutableRawPointer?

    public init(api: UnsafePointer<thor_host_api>, ctx: UnsafeMutableRawPointer?) {
        self.api = api
        self.ctx = ctx
    }

    public func log(_ level: thor_log_level, _ message: String) {
        guard let log = api.pointee.log else { return }
        var text = message
        text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { log(ctx, level, thor_str(ptr: $0.baseAddress, len: $0.count)) }
        }
    }

    @discardableResult
    public func emit(_ finding: Finding) -> thor_status {
        guard let emit = api.pointee.emit_finding else { return THOR_E_UNSUPPORTED }
        return finding.withCStruct { emit(ctx, $0) }
    }

    /// Returns THOR_E_LIMIT when the host's depth or count budget is spent: stop emitting then.
    @discardableResult
    public func emitChild(_ child: ChildObject) -> thor_status {
        guard let emit = api.pointee.emit_child else { return THOR_E_UNSUPPORTED }
        let arena = StringArena()
        let fields = child.fields.map { thor_kv(key: arena.str($0.key), value: arena.str($0.value)) }
        let content: UnsafePointer<thor_reader>? = child.content.map { bytes in
            let stored = arena.bytes(bytes)
            return arena.pointer(thor_reader(struct_size: UInt32(MemoryLayout<thor_reader>.size), size: UInt64(bytes.count),
                                             map: UnsafeRawPointer(stored.ptr)?.assumingMemoryBound(to: UInt8.self),
                                             read_at: nil, rctx: nil))
        }
        let object = thor_object(
            struct_size: UInt32(MemoryLayout<thor_object>.size), kind: child.kind, depth: 0,
            path: arena.str(child.path), name: arena.str(child.name), type: arena.str(child.type),
            type_tags: nil, n_type_tags: 0, fields: arena.array(fields), n_fields: fields.count, content: content)
        return withExtendedLifetime(arena) { emit(ctx, arena.pointer(object)) }
    }

    public var shouldAbort: Bool {
        guard let abort = api.pointee.should_abort else { return false }
        return abort(ctx) != 0
    }

    /// During init: the version of a library or signature set the module's results depend on
    /// (ABI 1.2; THOR_E_UNSUPPORTED from older hosts).
    @discardableResult
    public func reportVersion(_ component: String, _ version: String) -> thor_status {
        guard provides(\.report_version), let report = api.pointee.report_version else { return THOR_E_UNSUPPORTED }
        let arena = StringArena()
        return withExtendedLifetime(arena) { report(ctx, arena.str(component), arena.str(version)) }
    }

    /// During init: this instance needs the file digests after all (ABI 1.2; THOR_E_UNSUPPORTED
    /// from older hosts, which ignore THOR_CAP_NO_HASHES or predate it).
    @discardableResult
    public func requireHashes() -> thor_status {
        guard provides(\.require_hashes), let require = api.pointee.require_hashes else { return THOR_E_UNSUPPORTED }
        return require(ctx)
    }

    /// Whether the host's table is long enough to hold `field` (fields are only ever appended).
    private func provides<Field>(_ field: KeyPath<thor_host_api, Field>) -> Bool {
        Int(api.pointee.struct_size) >= MemoryLayout<thor_host_api>.offset(of: field)! + MemoryLayout<Field>.size
    }

    @discardableResult
    public func addTypeTag(_ tag: String) -> thor_status {
        guard let add = api.pointee.add_type_tag else { return THOR_E_UNSUPPORTED }
        var text = tag
        return text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { add(ctx, thor_str(ptr: $0.baseAddress, len: $0.count)) }
        }
    }
}
