import ArchiveFormats
import PluginABI
import PluginKit

/// The archive module: every member of a ZIP archive (found by magic or extension: .zip, .jar,
/// .docx, ...) becomes a file object `archive.zip|member` with the member's bytes, so that every
/// module scans it as it would a file on disk; a member that is itself an archive is opened in
/// turn, as deep as the host's `--max-recursion-depth` allows.
///
/// Nothing is written to disk. A member larger than THOR's file size limit (30 MiB, 200 MiB with
/// --intense) is skipped, and an archive stops yielding members after `archiveLimit` inflated
/// bytes, whatever its headers claim (zip bombs).
final class ArchiveModule: ScanModule {
    static let descriptor = ModuleDescriptor(
        name: "archive", version: "1.0.0",
        description: "ZIP archives: every member becomes a file object (archive.zip|member)",
        author: "thor project",
        objectKinds: [thor_object_kind(THOR_OBJ_FILE)],
        capabilities: UInt32(THOR_CAP_EMITS_CHILDREN | THOR_CAP_NEEDS_CONTENT | THOR_CAP_THREADSAFE),
        typeTags: ["ZIP"])

    let memberLimit: Int
    let archiveLimit: Int

    init(_ setup: ModuleSetup) throws {
        let intense = setup.flag("intense")
        memberLimit = intense ? 200 << 20 : 30 << 20
        archiveLimit = intense ? 4 << 30 : 1 << 30
    }

    func scan(_ object: ScanObject, _ host: ScanHost) throws {
        guard let content = object.content else {
            throw ModuleError.invalid("ZIP: no content mapped for \(object.path)")
        }
        let archive: ZIPArchive
        do { archive = try ZIPArchive(content) } catch {
            throw ModuleError.corrupt("ZIP: \(object.path): \(error)")
        }
        var scanned = 0, inflated = 0
        var skipped: [String: Int] = [:]
        var stopped: String?
        for entry in archive.entries where !entry.isDirectory {
            if host.shouldAbort { throw ModuleError(THOR_E_ABORTED, "ZIP: \(object.path): aborted") }
            if let why = ZIPArchive.unreadable(entry) {
                skipped[why, default: 0] += 1
                continue
            }
            if entry.size > memberLimit {
                skipped["larger than \(memberLimit >> 20) MiB", default: 0] += 1
                continue
            }
            guard inflated < archiveLimit else {
                stopped = "\(archiveLimit >> 20) MiB unpacked"
                break
            }
            let bytes: [UInt8]
            do {
                let stored = try archive.storedBytes(of: entry)
                bytes = entry.method == 0
                    ? Array(stored)
                    : try Inflater.inflate(stored, expected: entry.size, limit: min(memberLimit, archiveLimit - inflated))
            } catch let error as Inflater.Failure {
                skipped[error == .tooLarge(limit: memberLimit) ? "larger than \(memberLimit >> 20) MiB" : "damaged", default: 0] += 1
                continue
            } catch {
                skipped["damaged", default: 0] += 1
                continue
            }
            inflated += bytes.count
            var child = ChildObject(kind: thor_object_kind(THOR_OBJ_FILE), path: object.path + "|" + entry.name,
                                    name: Self.baseName(entry.name))
            child.content = bytes
            if host.emitChild(child) == THOR_E_LIMIT {
                stopped = "host limit reached"
                break
            }
            scanned += 1
        }
        var summary = "ZIP archive \(object.path): members scanned: \(scanned)"
        for (why, count) in skipped.sorted(by: { $0.key < $1.key }) { summary += ", skipped (\(why)): \(count)" }
        if let stopped { summary += ", stopped: \(stopped)" }
        // Every .jar and .docx is an archive: a line each only when something was left out.
        host.log(skipped.isEmpty && stopped == nil ? THOR_LOG_DEBUG : THOR_LOG_INFO, summary)
    }

    /// The last element of a member name (ZIP names use `/`; some tools write `\`).
    static func baseName(_ name: String) -> String {
        guard let cut = name.utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else { return name }
        return String(name[name.utf8.index(after: cut)...])
    }
}

@_cdecl("thor_plugin_entry")
public func thorPluginEntry(_ host: UnsafePointer<thor_host_api>?) -> UnsafePointer<thor_plugin>? {
    PluginExport.entry(ArchiveModule.self, host: host)
}
