import Foundation
import Logging

/// The service's console log handler: swift-log's default (`StreamLogHandler` on stderr), but
/// metadata is formatted when a line is written, not whenever it is set. The HTTP server sets a
/// request id on every request's logger, and the stream handler re-renders all metadata on each
/// set: work for every sample, for lines that are almost never written.
public struct ServiceLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(line(for: event, at: Self.timestamp()).utf8))
    }

    /// The line written for `event`: the handler's, the provider's and the event's metadata (the
    /// later winning), sorted by key.
    func line(for event: LogEvent, at timestamp: String) -> String {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit = event.metadata { all.merge(explicit) { $1 } }
        let rendered = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let error = event.error.map { " error=\($0)" } ?? ""
        return "\(timestamp) \(event.level) \(label):\(rendered) [\(event.source)] \(event.message)\(error)\n"
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
