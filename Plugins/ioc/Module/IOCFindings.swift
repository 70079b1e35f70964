import IOCEngine
import PluginKit

/// IOC matches as THOR findings.
enum IOCFindings {
    /// "custom" unless the IOC file lies in the vendor signatures folder.
    static func sigType(_ file: String, vendor: String?) -> String {
        guard let vendor, file.hasPrefix(vendor) else { return "custom" }
        return "internal"
    }

    static func hash(_ ioc: HashIOC, field: String, vendor: String?) -> Finding {
        var f = Finding(ruleName: ioc.hash, sigClass: "Hash IOC", score: Int32(ioc.score))
        f.description = ioc.comment
        f.sigType = sigType(ioc.file, vendor: vendor)
        f.matches = [Match(identifier: ioc.hash, data: Array(ioc.hash.utf8), field: field)]
        return f
    }

    /// One finding for all filename IOCs that matched one string, their scores summed.
    static func filename(_ match: FilenameMatch, field: String, vendor: String?) -> Finding {
        var f = Finding(ruleName: match.hits.map(\.ioc.pattern).joined(separator: " + "), sigClass: "Filename IOC",
                        score: Int32(clamping: match.score))
        f.description = match.hits.map(\.ioc.description).filter { !$0.isEmpty }.joined(separator: " / ")
        f.sigType = sigType(match.hits.first?.ioc.file ?? "", vendor: vendor)
        f.matches = match.hits.map { Match(identifier: $0.ioc.pattern, data: Array($0.matched.utf8), field: field) }
        return f
    }

    static func keyword(_ ioc: KeywordIOC, fields: [(key: String, value: String)], vendor: String?) -> Finding {
        var f = Finding(ruleName: ioc.keyword, sigClass: "Keyword IOC", score: Int32(KeywordIOC.defaultScore))
        f.description = ioc.description
        f.sigType = sigType(ioc.file, vendor: vendor)
        f.matches = fields.map { Match(identifier: ioc.keyword, data: Array(ioc.keyword.utf8), context: context($0.value), field: $0.key) }
        return f
    }

    static func c2(_ ioc: C2IOC, fields: [(key: String, value: String)], vendor: String?) -> Finding {
        var f = Finding(ruleName: ioc.value, sigClass: "C2 IOC", score: Int32(ioc.score))
        f.description = ioc.description
        f.sigType = sigType(ioc.file, vendor: vendor)
        f.matches = fields.map { Match(identifier: ioc.value, data: Array(ioc.value.utf8), context: context($0.value), field: $0.key) }
        return f
    }

    /// The field value as context, bounded so a huge field does not bloat the log.
    private static func context(_ value: String) -> [UInt8] { Array(value.utf8.prefix(512)) }
}
