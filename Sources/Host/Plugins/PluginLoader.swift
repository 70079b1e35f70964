import Glibc
import PluginABI
import PluginKit

/// Finds module libraries, checks each before running any of its code, and initialises the ones
/// that pass. Every refusal names the exact check that failed.
public struct PluginLoader {
    public struct Settings {
        /// Searched in this order; the first library of a given name wins.
        public var directories: [String]
        /// A folder that also holds other build products: only `libthor-*.so` there are modules.
        public var buildDirectory: String?
        /// Lower-case module names from `--modules`; nil runs every module.
        public var selected: Set<String>?
        public var options: [String: String]
        public var signatureDirectories: [String]
        public var cacheDirectory: String
        public init(directories: [String], selected: Set<String>?, options: [String: String],
                    signatureDirectories: [String], cacheDirectory: String) {
            self.directories = directories
            buildDirectory = directories.last
            self.selected = selected
            self.options = options
            self.signatureDirectories = signatureDirectories
            self.cacheDirectory = cacheDirectory
        }
    }

    public struct Result {
        public var modules: [LoadedModule]
        public var candidates: [PluginCandidate]
    }

    let settings: Settings
    let log: (Level, String, String) -> Void

    public init(settings: Settings, log: @escaping (Level, String, String) -> Void) {
        self.settings = settings
        self.log = log
    }

    /// The `.so` files of a folder whose names start with `prefix`, sorted; throws when the folder
    /// exists but cannot be read.
    public static func libraries(in directory: String, prefix: String = "") throws -> [String] {
        guard let dir = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw ConfigError("cannot read plugin folder \(directory): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name.hasSuffix(".so") && name.hasPrefix(prefix) { found.append(directory + "/" + name) }
        }
        return found.sorted()
    }

    public func load() throws -> Result {
        var result = Result(modules: [], candidates: [])
        var seenPaths = Set<String>()
        for directory in settings.directories {
            for path in try Self.libraries(in: directory, prefix: directory == settings.buildDirectory ? "libthor-" : "") {
                let real = realpath(path, nil).map { p in defer { free(p) }; return String(cString: p) } ?? path
                guard seenPaths.insert(real).inserted else { continue }
                var candidate = PluginCandidate(path: path, name: "", version: "", abi: "", state: .loaded)
                let module = open(path, into: &candidate, loadedNames: Set(result.modules.map(\.name)))
                if let module { result.modules.append(module) }
                if case .refused(let why) = candidate.state {
                    log(.warning, "Plugins", "Skipping plugin \(path): \(why)")
                }
                result.candidates.append(candidate)
            }
        }
        return result
    }

    private func open(_ path: String, into candidate: inout PluginCandidate, loadedNames: Set<String>) -> LoadedModule? {
        if let unsafe = permissionProblem(path) {
            candidate.state = .refused(unsafe)
            return nil
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            candidate.state = .refused("dlopen failed: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
            return nil
        }
        // A refused library stays mapped: unloading Swift libraries is unsafe, and it cost nothing yet.
        guard let majorSymbol = dlsym(handle, THOR_PLUGIN_ABI_MAJOR_SYMBOL) else {
            candidate.state = .refused("missing symbol \(THOR_PLUGIN_ABI_MAJOR_SYMBOL)")
            return nil
        }
        guard let minorSymbol = dlsym(handle, THOR_PLUGIN_ABI_MINOR_SYMBOL) else {
            candidate.state = .refused("missing symbol \(THOR_PLUGIN_ABI_MINOR_SYMBOL)")
            return nil
        }
        let major = majorSymbol.load(as: UInt32.self)
        let minor = minorSymbol.load(as: UInt32.self)
        candidate.abi = "\(major).\(minor)"
        guard major == THOR_ABI_MAJOR else {
            candidate.state = .refused("ABI major version \(major), host speaks \(THOR_ABI_MAJOR)")
            return nil
        }
        guard minor <= THOR_ABI_MINOR else {
            candidate.state = .refused("ABI minor version \(minor) is newer than the host's \(THOR_ABI_MINOR)")
            return nil
        }
        guard let entrySymbol = dlsym(handle, THOR_PLUGIN_ENTRY_SYMBOL) else {
            candidate.state = .refused("missing symbol \(THOR_PLUGIN_ENTRY_SYMBOL)")
            return nil
        }
        let entry = unsafeBitCast(entrySymbol, to: thor_plugin_entry_fn.self)
        guard let descriptor = entry(HostTable.api) else {
            candidate.state = .refused("\(THOR_PLUGIN_ENTRY_SYMBOL) returned no descriptor")
            return nil
        }
        let minimumSize = MemoryLayout<thor_plugin>.offset(of: \thor_plugin.finish)! + MemoryLayout<UnsafeRawPointer>.size
        guard Int(descriptor.pointee.struct_size) >= minimumSize else {
            candidate.state = .refused("descriptor struct_size \(descriptor.pointee.struct_size) is smaller than ABI 1.0's \(minimumSize)")
            return nil
        }
        let d = descriptor.pointee
        candidate.name = d.name.string.lowercased()
        candidate.version = d.version.string
        guard !candidate.name.isEmpty, d.scan != nil, d.`init` != nil else {
            candidate.state = .refused("descriptor lacks a name, init or scan function")
            return nil
        }
        let minHost = d.min_host_version.string
        if !minHost.isEmpty, SemanticVersion(minHost) > SemanticVersion(HostTable.version) {
            candidate.state = .refused("needs host version \(minHost), this host is \(HostTable.version)")
            return nil
        }
        guard !loadedNames.contains(candidate.name) else {
            candidate.state = .refused("a module named '\(candidate.name)' is already loaded")
            return nil
        }
        if let selected = settings.selected, !selected.contains(candidate.name) {
            candidate.state = .notSelected
            return nil
        }
        return initialise(path: path, descriptor: descriptor, candidate: &candidate)
    }

    private func initialise(path: String, descriptor: UnsafePointer<thor_plugin>, candidate: inout PluginCandidate) -> LoadedModule? {
        let name = candidate.name
        let context = CallContext(module: name, item: nil, pipeline: nil) { level, message in
            log(level, "Init", "\(name): \(message)")
        }
        let arena = StringArena()
        let options = settings.options.sorted { $0.key < $1.key }.map { thor_kv(key: arena.str($0.key), value: arena.str($0.value)) }
        let dirs = settings.signatureDirectories.map { arena.str($0) }
        var instance: UnsafeMutableRawPointer?
        let status: thor_status = context.withOpaque { ctx in
            var args = thor_init_args(
                struct_size: UInt32(MemoryLayout<thor_init_args>.size), host: HostTable.api, ctx: ctx,
                options: arena.array(options), n_options: options.count,
                signature_dirs: arena.array(dirs), n_signature_dirs: dirs.count,
                cache_dir: arena.str(settings.cacheDirectory))
            return withExtendedLifetime(arena) { descriptor.pointee.`init`!(&args, &instance) }
        }
        guard status == THOR_OK else {
            candidate.state = .refused("init failed with status \(StatusName.of(status))")
            return nil
        }
        return LoadedModule(path: path, descriptor: descriptor, instance: instance, initialised: context)
    }

    /// A library, or the folder holding it, that others may write is a way in for an attacker.
    private func permissionProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "cannot stat: \(String(cString: strerror(errno)))" }
        if info.st_mode & S_IWOTH != 0 { return "file is writable by others (mode \(String(info.st_mode & 0o777, radix: 8)))" }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        var folderInfo = stat()
        if stat(folder.isEmpty ? "/" : folder, &folderInfo) == 0, folderInfo.st_mode & S_IWOTH != 0, folderInfo.st_mode & S_ISVTX == 0 {
            return "folder \(folder) is writable by others (mode \(String(folderInfo.st_mode & 0o777, radix: 8)))"
        }
        return nil
    }
}

/// Names of thor_status codes for messages.
enum StatusName {
    static func of(_ status: thor_status) -> String {
        switch status {
        case THOR_OK: "OK"
        case THOR_E_ABI: "E_ABI"
        case THOR_E_INVALID_ARG: "E_INVALID_ARG"
        case THOR_E_UNSUPPORTED: "E_UNSUPPORTED"
        case THOR_E_CORRUPT_INPUT: "E_CORRUPT_INPUT"
        case THOR_E_LIMIT: "E_LIMIT"
        case THOR_E_ABORTED: "E_ABORTED"
        case THOR_E_NOMEM: "E_NOMEM"
        case THOR_E_IO: "E_IO"
        case THOR_E_INTERNAL: "E_INTERNAL"
        default: "status \(status)"
        }
    }
}
