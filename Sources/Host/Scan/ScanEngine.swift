import Foundation

/// The loaded modules and the pipeline over them: what scans files, in a worker process or in
/// the supervisor itself (`--no-isolation`).
final class ScanEngine {
    let config: EngineConfig
    let loaded: PluginLoader.Result
    let pipeline: Pipeline
    let reporter: Reporter
    private let fileTypes: FileTypeSignatures

    init(config: EngineConfig, reporter: Reporter) throws {
        self.config = config
        self.reporter = reporter
        let loader = PluginLoader(settings: .init(
            directories: config.pluginDirectories, selected: config.modules.map(Set.init),
            options: config.moduleOptions, signatureDirectories: config.signatureDirectories,
            cacheDirectory: config.cacheDirectory)) { level, module, message in
            if config.reportInit { reporter.message(level, module: module, message) }
        }
        var loaded = try loader.load()
        let disabled = Set(config.disabledModules)
        loaded.modules.removeAll { disabled.contains($0.name) }
        self.loaded = loaded
        fileTypes = Self.loadFileTypes(config.signatureDirectories, reporter: config.reportInit ? reporter : nil)
        pipeline = Pipeline(modules: loaded.modules, reporter: reporter, budgets: config.budgets, fileTypes: fileTypes)
    }

    /// What the modules reported of their libraries and signature sets.
    var versions: ComponentVersions {
        loaded.modules.reduce(into: ComponentVersions()) { $0.merge($1.versions) }
    }

    /// `mapLargeFiles` only in a worker process (see ContentReader).
    func makeScanner(mapLargeFiles: Bool = false) -> FileScanner {
        FileScanner(settings: .init(maxFileSize: config.maxFileSize, scanAllFiles: config.scanAllFiles, mapLargeFiles: mapLargeFiles, fileSystemErrors: config.fileSystemErrors),
                    fileTypes: fileTypes, pipeline: pipeline, reporter: reporter)
    }

    /// Lets every module finish (flush state, log summaries).
    func finish() {
        for module in loaded.modules {
            let ctx = CallContext(module: module.name, item: nil, pipeline: nil) { [reporter] level, message in
                reporter.message(level, module: module.name, message)
            }
            ctx.withOpaque { module.finish(context: $0) }
        }
    }

    static func loadFileTypes(_ dirs: [String], reporter: Reporter?) -> FileTypeSignatures {
        for dir in dirs {
            let path = dir + "/misc/file-type-signatures.txt"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            do { return try FileTypeSignatures(text: text) } catch {
                reporter?.error(module: "Init", "Bad file-type signatures", fields: [("FILE", path), ("ERROR", "\(error)")])
            }
        }
        reporter?.message(.warning, module: "Init", "No file-type signatures found; magic types are unknown")
        return .none
    }
}
