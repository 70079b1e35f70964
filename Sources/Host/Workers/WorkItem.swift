/// One file to scan, as the supervisor hands it to a worker (or the in-process engine).
public struct WorkItem: Sendable {
    /// Where the bytes are.
    public var path: String
    /// The name shown in the logs and matched by file-name IOCs when it differs from `path`
    /// (an uploaded sample keeps the name its client sent).
    public var displayPath: String?
    /// The host the object came from (Thunderstorm's `source`), nil for this host.
    public var source: String?
    /// Modules not to run on this object (a retry after a module crashed on it).
    public var excludedModules: [String] = []

    public init(path: String, displayPath: String? = nil, source: String? = nil) {
        self.path = path
        self.displayPath = displayPath
        self.source = source
    }
}

/// What scanning one file did, for the statistics.
public struct ScanOutcome: Sendable {
    public var examined = false
    public var bytes = 0
    public var skip: ScanStatistics.Skip?
    /// A submitted sample's own `md5`, `sha1`, `sha256` and `filetype` when something in it was
    /// reported: its answer needs them even when only objects inside it scored.
    public var sampleFields: [(key: String, value: String)] = []
}
