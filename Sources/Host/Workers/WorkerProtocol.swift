/// Frame kinds of the supervisor/worker protocol (version `Wire.version`).
enum FrameKind {
    // supervisor -> worker
    static let config: UInt8 = 1
    static let work: UInt8 = 2
    static let finish: UInt8 = 3
    // worker -> supervisor
    static let hello: UInt8 = 10
    static let ready: UInt8 = 11
    static let event: UInt8 = 12
    static let done: UInt8 = 13
    static let moduleStart: UInt8 = 14

    static let toWorker: ClosedRange<UInt8> = 1...3
    static let toSupervisor: ClosedRange<UInt8> = 10...14
}

extension WorkItem {
    func encode() -> [UInt8] {
        var w = WireWriter()
        w.string(path)
        w.string(displayPath ?? "")
        w.string(source ?? "")
        w.strings(excludedModules)
        return w.bytes
    }

    static func decode(_ r: inout WireReader) throws -> WorkItem {
        let path = try r.string(), display = try r.string(), source = try r.string()
        var item = WorkItem(path: path, displayPath: display.isEmpty ? nil : display, source: source.isEmpty ? nil : source)
        item.excludedModules = try r.strings()
        return item
    }
}

extension ScanOutcome {
    func encode() -> [UInt8] {
        var w = WireWriter()
        w.u8(examined ? 1 : 0)
        w.u64(UInt64(bytes))
        w.string(skip?.rawValue ?? "")
        w.pairs(sampleFields)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> ScanOutcome {
        var r = WireReader(bytes)
        var o = ScanOutcome()
        o.examined = try r.u8() == 1
        o.bytes = Int(try r.u64())
        let skip = try r.string()
        o.skip = skip.isEmpty ? nil : ScanStatistics.Skip(rawValue: skip)
        o.sampleFields = try r.pairs()
        return o
    }
}

/// What a worker says once its modules are loaded.
struct WorkerReady {
    var loaded: [String]
    var available: [String]
    var versions = ComponentVersions()
    var failure: String

    func encode() -> [UInt8] {
        var w = WireWriter()
        w.strings(loaded)
        w.strings(available)
        w.pairs(versions.pairs)
        w.string(failure)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> WorkerReady {
        var r = WireReader(bytes)
        return WorkerReady(loaded: try r.strings(), available: try r.strings(), versions: ComponentVersions(pairs: try r.pairs()),
                           failure: try r.string())
    }
}
