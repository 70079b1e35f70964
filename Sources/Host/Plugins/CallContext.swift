import PluginABI
import PluginKit

/// What the host knows about one call into a module; the opaque `ctx` of the host callbacks.
final class CallContext {
    let module: String
    let item: ScanItem?
    let pipeline: Pipeline?
    let logger: (Level, String) -> Void
    var findings: [FindingRecord] = []
    var tagsAdded = false
    var childrenRefused = false
    var budget = ChildBudget(remaining: 0, bytesRemaining: 0)
    /// What the module reported with report_version during init.
    var versions = ComponentVersions()
    /// The module asked for the file digests during init (require_hashes).
    var hashesRequired = false

    init(module: String, item: ScanItem?, pipeline: Pipeline?, logger: @escaping (Level, String) -> Void) {
        self.module = module
        self.item = item
        self.pipeline = pipeline
        self.logger = logger
    }

    func withOpaque<R>(_ body: (UnsafeMutableRawPointer) -> R) -> R {
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        return withExtendedLifetime(self) { body(opaque) }
    }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> CallContext? {
        guard let ctx else { return nil }
        return Unmanaged<CallContext>.fromOpaque(ctx).takeUnretainedValue()
    }
}

/// The host's function table, built once for the life of the process.
enum HostTable {
    static let version = ThorVersion.current

    static let api: UnsafePointer<thor_host_api> = {
        let versionBytes = UnsafeMutablePointer<CChar>.allocate(capacity: version.utf8.count)
        for (i, b) in version.utf8.enumerated() { versionBytes[i] = CChar(bitPattern: b) }
        let table = UnsafeMutablePointer<thor_host_api>.allocate(capacity: 1)
        table.initialize(to: thor_host_api(
            struct_size: UInt32(MemoryLayout<thor_host_api>.size),
            abi_major: UInt16(THOR_ABI_MAJOR), abi_minor: UInt16(THOR_ABI_MINOR),
            host_version: thor_str(ptr: UnsafePointer(versionBytes), len: version.utf8.count),
            log: log, emit_finding: emitFinding, emit_child: emitChild,
            should_abort: shouldAbort, add_type_tag: addTypeTag, report_version: reportVersion,
            require_hashes: requireHashes))
        return UnsafePointer(table)
    }()

    private static let log: @convention(c) (UnsafeMutableRawPointer?, thor_log_level, thor_str) -> Void = { ctx, level, message in
        guard let context = CallContext.from(ctx) else { return }
        let mapped: Level
        switch level {
        case THOR_LOG_DEBUG: mapped = .debug
        case THOR_LOG_NOTICE: mapped = .notice
        case THOR_LOG_WARNING: mapped = .warning
        case THOR_LOG_ERROR: mapped = .error
        default: mapped = .info
        }
        context.logger(mapped, message.string)
    }

    private static let emitFinding: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<thor_finding>?) -> thor_status = { ctx, finding in
        guard let context = CallContext.from(ctx), let finding, context.item != nil else { return THOR_E_INVALID_ARG }
        context.findings.append(FindingRecord(module: context.module, copying: finding.pointee))
        return THOR_OK
    }

    private static let emitChild: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<thor_object>?) -> thor_status = { ctx, child in
        guard let context = CallContext.from(ctx), let child, let parent = context.item, let pipeline = context.pipeline else {
            return THOR_E_INVALID_ARG
        }
        return pipeline.processChild(child.pointee, of: parent, from: context)
    }

    private static let shouldAbort: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { ctx in
        guard let context = CallContext.from(ctx), let pipeline = context.pipeline else { return 0 }
        return pipeline.shouldAbort ? 1 : 0
    }

    private static let reportVersion: @convention(c) (UnsafeMutableRawPointer?, thor_str, thor_str) -> thor_status = { ctx, component, version in
        guard let context = CallContext.from(ctx), context.item == nil, component.len > 0, version.len > 0 else { return THOR_E_INVALID_ARG }
        context.versions.add(component.string, version.string)
        return THOR_OK
    }

    private static let requireHashes: @convention(c) (UnsafeMutableRawPointer?) -> thor_status = { ctx in
        guard let context = CallContext.from(ctx), context.item == nil else { return THOR_E_INVALID_ARG }
        context.hashesRequired = true
        return THOR_OK
    }

    private static let addTypeTag: @convention(c) (UnsafeMutableRawPointer?, thor_str) -> thor_status = { ctx, tag in
        guard let context = CallContext.from(ctx), let item = context.item, tag.len > 0 else { return THOR_E_INVALID_ARG }
        if item.addTypeTag(tag.string) { context.tagsAdded = true }
        return THOR_OK
    }
}
