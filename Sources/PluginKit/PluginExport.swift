import PluginABI

/// Turns a `ScanModule` type into the C descriptor the host loads. A module's library exports:
///
///     @_cdecl("thor_plugin_entry")
///     public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
///         PluginExport.entry(MyModule.self, host: host)
///     }
///
/// One module per library: the state below is per loaded library.
public enum PluginExport {
    nonisolated(unsafe) private static var moduleType: ScanModule.Type?
    nonisolated(unsafe) private static var hostAPI: UnsafePointer<thor_host_api>?
    nonisolated(unsafe) private static var descriptor: UnsafePointer<thor_plugin>?

    public static func entry(_ type: ScanModule.Type, host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
        guard let host, host.pointee.struct_size >= UInt32(MemoryLayout<thor_host_api>.size),
              host.pointee.abi_major == THOR_ABI_MAJOR else { return nil }
        if let descriptor { return descriptor }
        moduleType = type
        hostAPI = host
        let d = type.descriptor
        // The descriptor lives as long as the process: modules are never unloaded.
        let arena = StringArena()
        let tags = d.typeTags.map { arena.str($0) }
        let plugin = thor_plugin(
            struct_size: UInt32(MemoryLayout<thor_plugin>.size),
            abi_major: UInt16(THOR_ABI_MAJOR), abi_minor: UInt16(THOR_ABI_MINOR),
            name: arena.str(d.name), version: arena.str(d.version), description: arena.str(d.description),
            author: arena.str(d.author), min_host_version: arena.str(d.minHostVersion),
            caps: d.capabilities, object_kinds: d.objectKinds.reduce(0) { $0 | (1 << $1) },
            type_tags: arena.array(tags), n_type_tags: tags.count,
            init: initTrampoline, scan: scanTrampoline, finish: finishTrampoline)
        descriptor = arena.pointer(plugin)
        retained = arena
        return descriptor
    }

    nonisolated(unsafe) private static var retained: StringArena?

    private static let initTrampoline: @convention(c) (UnsafePointer<thor_init_args>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> thor_status = { args, out in
        guard let args, let out, let type = PluginExport.moduleType, let host = args.pointee.host ?? PluginExport.hostAPI else {
            return THOR_E_INVALID_ARG
        }
        let a = args.pointee
        var options: [String: String] = [:]
        if let kv = a.options { for i in 0..<a.n_options { options[kv[i].key.string] = kv[i].value.string } }
        var dirs: [String] = []
        if let d = a.signature_dirs { for i in 0..<a.n_signature_dirs { dirs.append(d[i].string) } }
        let scanHost = ScanHost(api: host, ctx: a.ctx)
        let setup = ModuleSetup(options: options, signatureDirectories: dirs, cacheDirectory: a.cache_dir.string, host: scanHost)
        do {
            let module = try type.init(setup)
            out.pointee = Unmanaged.passRetained(module as AnyObject).toOpaque()
            return THOR_OK
        } catch let error as ModuleError {
            scanHost.log(THOR_LOG_ERROR, error.message)
            return error.status
        } catch {
            scanHost.log(THOR_LOG_ERROR, "\(error)")
            return THOR_E_INTERNAL
        }
    }

    private static let scanTrampoline: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<thor_object>?, UnsafeMutableRawPointer?) -> thor_status = { instance, object, ctx in
        guard let instance, let object, let host = PluginExport.hostAPI else { return THOR_E_INVALID_ARG }
        let module = Unmanaged<AnyObject>.fromOpaque(instance).takeUnretainedValue() as! ScanModule
        let scanHost = ScanHost(api: host, ctx: ctx)
        do {
            try module.scan(ScanObject(object), scanHost)
            return THOR_OK
        } catch let error as ModuleError {
            scanHost.log(error.status == THOR_E_CORRUPT_INPUT ? THOR_LOG_WARNING : THOR_LOG_ERROR, error.message)
            return error.status
        } catch {
            scanHost.log(THOR_LOG_ERROR, "\(error)")
            return THOR_E_INTERNAL
        }
    }

    private static let finishTrampoline: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = { instance, ctx in
        guard let instance, let host = PluginExport.hostAPI else { return }
        let module = Unmanaged<AnyObject>.fromOpaque(instance).takeUnretainedValue() as! ScanModule
        module.finish(ScanHost(api: host, ctx: ctx))
    }
}
