#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// --server-store-samples: keeps scanned samples under `<upload dir>/samples`. Stored names are
/// built only from the sample's SHA-256 (or a counter), never from anything the client sent; the
/// client's file name and source go into a JSON sidecar.
struct SampleStore: Sendable {
    let directory: String
    let policy: ThunderstormOptions.StorePolicy

    init(uploadDirectory: String, policy: ThunderstormOptions.StorePolicy) throws {
        directory = uploadDirectory + "/samples"
        self.policy = policy
        if policy != .none { try DurableFiles.makeDirectory(directory) }
    }

    func wants(_ verdict: SampleVerdict?) -> Bool {
        switch policy {
        case .none: return false
        case .all: return true
        case .malicious: return verdict?.isMalicious ?? false
        }
    }

    /// Puts the sample into the store with `move` (given the stored path; false when it failed);
    /// returns the stored path, or nil if not stored.
    @discardableResult
    func keep(verdict: SampleVerdict?, fileName: String, source: String, move: (String) -> Bool) -> String? {
        guard wants(verdict) else { return nil }
        let digest = verdict?.file.sha256 ?? ""
        let safeDigest = !digest.isEmpty && digest.utf8.allSatisfy { HeaderParameters.hexValue($0) != nil } && digest.utf8.count <= 128
        let name = safeDigest ? digest : "sample-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)
        let target = directory + "/" + name
        guard move(target) else { return nil }
        let sidecar: JSONValue = .object([
            ("file", .string(fileName)), ("source", .string(source)),
            ("score", .int(Int64(verdict?.score ?? 0))), ("level", .string(verdict?.level?.rawValue ?? "")),
            ("stored", .double(ServiceStats.now())),
        ])
        try? DurableFiles.replace(target + ".json", with: sidecar.encoded(pretty: true), durable: false)
        return target
    }
}
