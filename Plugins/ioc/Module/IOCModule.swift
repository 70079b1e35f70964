import Foundation
import IOCEngine
import PluginABI
import PluginKit

/// The `ioc` module: hash and filename IOCs on files; keyword, C2 and filename IOCs on the
/// string fields of records (events, registry values, log lines, processes, other records).
final class IOCModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "ioc", version: "1.0.0",
        description: "Hash, filename, keyword and C2 IOCs (signatures/iocs, custom-signatures/iocs, --ioc-dir)",
        author: "thor project",
        objectKinds: [THOR_OBJ_FILE, THOR_OBJ_EVENT, THOR_OBJ_REGISTRY_KEY, THOR_OBJ_REGISTRY_VALUE, THOR_OBJ_LOG_LINE,
                      THOR_OBJ_PROCESS, THOR_OBJ_RECORD].map { thor_object_kind($0) },
        capabilities: UInt32(THOR_CAP_THREADSAFE))

    /// File fields that hold digests; THOR also matches the PE imphash against MD5 IOCs.
    static let hashFields = ["md5", "sha1", "sha256", "imphash"]

    private let iocs: IOCSet
    private let vendor: String?
    /// --cross-platform: also test paths with '/' turned into '\' (Windows IOCs on other systems).
    private let crossPlatform: Bool

    init(_ setup: ModuleSetup) throws {
        var dirs = setup.signatureDirectories.map { $0 + "/iocs" }
        if let extra = setup.option("ioc-dir"), !extra.isEmpty { dirs += extra.split(separator: ",").map(String.init) }
        vendor = setup.signatureDirectories.first.map { $0 + "/iocs/" }
        crossPlatform = setup.flag("cross-platform")
        iocs = IOCSet(directories: dirs)
        for d in iocs.diagnostics { setup.host.log(THOR_LOG_WARNING, "IOC \(d)") }
        for file in iocs.files { setup.host.log(THOR_LOG_INFO, "Reading IOCs from \(file.path) as '\(file.type.rawValue)' type") }
        if let version = SignatureVersion.newest(of: iocs.files.map(\.path)) { setup.host.reportVersion("signatures", version) }
        setup.host.log(THOR_LOG_INFO, "IOCs: \(iocs.hashes.indicators.count) hashes, \(iocs.hashes.falsePositives.count) false-positive hashes, "
            + "\(iocs.filenames.iocs.count) filename, \(iocs.keywords.keywords.count) keyword, \(iocs.c2.iocs.count) C2")
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        if object.kind == thor_object_kind(THOR_OBJ_FILE) {
            scanFile(object, host)
        } else {
            scanRecord(object, host)
        }
    }

    private func scanFile(_ object: ScanObject, _ host: ScanHost) {
        var digests: [(field: String, hex: String)] = []
        for key in Self.hashFields { if let value = object.field(key), !value.isEmpty { digests.append((key, value)) } }
        switch iocs.hashes.lookup(digests.map(\.hex)) {
        case .none: break
        case .falsePositive(let ioc):
            host.emit(IOCFindings.hash(ioc, field: field(of: ioc, in: digests), vendor: vendor))
        case .match(let hits):
            for ioc in hits { host.emit(IOCFindings.hash(ioc, field: field(of: ioc, in: digests), vendor: vendor)) }
        }
        let path = object.path
        if let match = filenameMatch(ScanText(path)) { host.emit(IOCFindings.filename(match, field: "filepath", vendor: vendor)) }
    }

    private func field(of ioc: HashIOC, in digests: [(field: String, hex: String)]) -> String {
        digests.first { $0.hex.lowercased() == ioc.hash }?.field ?? ""
    }

    private func filenameMatch(_ text: ScanText) -> FilenameMatch? {
        if let match = iocs.filenames.match(text) { return match }
        guard crossPlatform, text.text.contains("/") else { return nil }
        return iocs.filenames.match(text.text.replacingOccurrences(of: "/", with: "\\"))
    }

    /// Keyword and C2 IOCs: one finding per IOC with every field it was found in; filename
    /// IOCs: one finding per field, scores summed.
    private func scanRecord(_ object: ScanObject, _ host: ScanHost) {
        var keywordHits = IOCHitGroups(), c2Hits = IOCHitGroups()
        for (key, value) in object.fields where !value.isEmpty {
            let text = ScanText(value)
            keywordHits.add(iocs.keywords.matchIndices(text), key: key, value: value)
            c2Hits.add(iocs.c2.matchIndices(text), key: key, value: value)
            if let match = filenameMatch(text) { host.emit(IOCFindings.filename(match, field: key, vendor: vendor)) }
        }
        for group in keywordHits.groups {
            host.emit(IOCFindings.keyword(iocs.keywords.keywords[group.ioc], fields: group.fields, vendor: vendor))
        }
        for group in c2Hits.groups {
            host.emit(IOCFindings.c2(iocs.c2.iocs[group.ioc], fields: group.fields, vendor: vendor))
        }
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(IOCModule.self, host: host)
}
