/// Everything needed to build a scan engine; workers receive it over the wire.
struct EngineConfig {
    var pluginDirectories: [String]
    var modules: [String]?
    var moduleOptions: [String: String]
    var signatureDirectories: [String]
    var cacheDirectory: String
    var scoring: Scoring
    var maxFileSize: Int
    var scanAllFiles: Bool
    var budgets: Pipeline.Budgets
    var disabledModules: [String]
    var memoryLimitMB: Int
    var logContext: LogContext
    /// Only the first worker reports module initialisation; the others would repeat it.
    var reportInit: Bool
    /// Level of "cannot open/read file" lines: Error, or Debug with --nofserrors.
    var fileSystemErrors = Level.error

    func encode() -> [UInt8] {
        var w = WireWriter()
        w.strings(pluginDirectories)
        w.u8(modules == nil ? 0 : 1)
        w.strings(modules ?? [])
        w.strings(moduleOptions.keys.sorted())
        w.strings(moduleOptions.keys.sorted().map { moduleOptions[$0]! })
        w.strings(signatureDirectories)
        w.string(cacheDirectory)
        for v in [scoring.notice, scoring.warning, scoring.alert, scoring.minimum, scoring.alertSubScore] { w.u64(v.bitPattern) }
        w.u64(UInt64(maxFileSize))
        w.u8(scanAllFiles ? 1 : 0)
        w.u64(UInt64(budgets.maxDepth))
        w.u64(UInt64(budgets.maxChildren))
        w.u64(UInt64(budgets.maxChildBytes))
        w.strings(disabledModules)
        w.u64(UInt64(memoryLimitMB))
        w.string(logContext.hostname)
        w.string(logContext.scanID)
        w.u64(UInt64(logContext.truncate))
        w.u64(UInt64(logContext.maxReasons))
        w.u8(logContext.timeStyle.rawValue)
        w.u8(reportInit ? 1 : 0)
        w.u8(fileSystemErrors == .error ? 1 : 0)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> EngineConfig {
        var r = WireReader(bytes)
        let dirs = try r.strings()
        let hasModules = try r.u8() == 1
        let modules = try r.strings()
        let keys = try r.strings(), values = try r.strings()
        guard keys.count == values.count else { throw Wire.Failure.protocolError("option lists differ") }
        let signatureDirs = try r.strings()
        let cache = try r.string()
        var scoring = Scoring()
        scoring.notice = Double(bitPattern: try r.u64())
        scoring.warning = Double(bitPattern: try r.u64())
        scoring.alert = Double(bitPattern: try r.u64())
        scoring.minimum = Double(bitPattern: try r.u64())
        scoring.alertSubScore = Double(bitPattern: try r.u64())
        let maxFileSize = Int(try r.u64())
        let scanAll = try r.u8() == 1
        var budgets = Pipeline.Budgets()
        budgets.maxDepth = Int(try r.u64())
        budgets.maxChildren = Int(try r.u64())
        budgets.maxChildBytes = Int(clamping: try r.u64())
        let disabled = try r.strings()
        let memory = Int(try r.u64())
        var context = LogContext(hostname: try r.string(), scanID: try r.string())
        context.truncate = Int(try r.u64())
        context.maxReasons = Int(try r.u64())
        guard let timeStyle = TimeStyle(rawValue: try r.u8()) else { throw Wire.Failure.protocolError("unknown time style") }
        context.timeStyle = timeStyle
        let reportInit = try r.u8() == 1
        let fileSystemErrors: Level = try r.u8() == 1 ? .error : .debug
        return EngineConfig(pluginDirectories: dirs, modules: hasModules ? modules : nil,
                            moduleOptions: Dictionary(uniqueKeysWithValues: zip(keys, values)),
                            signatureDirectories: signatureDirs, cacheDirectory: cache, scoring: scoring,
                            maxFileSize: maxFileSize, scanAllFiles: scanAll, budgets: budgets,
                            disabledModules: disabled, memoryLimitMB: memory, logContext: context, reportInit: reportInit,
                            fileSystemErrors: fileSystemErrors)
    }
}
