import Foundation

/// The rule categories THOR picks by a tag in the rule file's name (thor-spec 4.3).
public enum RuleCategory: String, CaseIterable, Sendable {
    case generic, meta, log, registry, keyword, process
}

public struct RuleFile: Equatable, Sendable {
    public let path: String
    public let category: RuleCategory
}

/// Finds .yar/.yara files directly inside each folder, as LOKI and build-rules.sh select them:
/// names not starting with '.', '~' or '_', byte-order (C locale) sorted per folder; folders
/// are taken in the order given (signatures/yara, custom-signatures/yara, --yara-dir).
public enum RuleFileDiscovery {
    public static func ruleFiles(in directories: [String]) -> [RuleFile] {
        var out: [RuleFile] = []
        var seen = Set<String>()
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            let picked = names.filter(isRuleFileName).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for name in picked {
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                      seen.insert(path).inserted else { continue }
                out.append(RuleFile(path: path, category: category(ofFileNamed: name)))
            }
        }
        return out
    }

    static func isRuleFileName(_ name: String) -> Bool {
        guard let first = name.first, first != ".", first != "~", first != "_" else { return false }
        return name.hasSuffix(".yar") || name.hasSuffix(".yara")
    }

    /// THOR's `\W<tag>\W` test on the file name (a leading '/' stands for the folder separator,
    /// so "log-rules.yar" is tagged 'log'). `memory` is an alias of `process`.
    public static func category(ofFileNamed name: String) -> RuleCategory {
        let bytes = Array(("/" + name).utf8)
        let tags: [(String, RuleCategory)] = [
            ("meta", .meta), ("log", .log), ("registry", .registry), ("keyword", .keyword),
            ("process", .process), ("memory", .process),
        ]
        for (tag, category) in tags where containsDelimitedTag(bytes, Array(tag.utf8)) { return category }
        return .generic
    }

    static func containsDelimitedTag(_ s: [UInt8], _ tag: [UInt8]) -> Bool {
        guard s.count >= tag.count + 2 else { return false }
        for start in 1...(s.count - tag.count - 1) {
            if isWordByte(s[start - 1]) || isWordByte(s[start + tag.count]) { continue }
            var equal = true
            for i in 0..<tag.count where lower(s[start + i]) != tag[i] { equal = false; break }
            if equal { return true }
        }
        return false
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }
}
