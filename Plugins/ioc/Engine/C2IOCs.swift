import Foundation

public struct C2IOC: Sendable, Equatable {
    public static let defaultScore = 100
    public enum Kind: Sendable, Equatable { case domain, ipv4, ipv6, cidr }
    public let value: String
    public let kind: Kind
    public let score: Int
    public let description: String
    public let file: String
    public let line: Int
}

/// C2 IOCs (domains, FQDNs, IPs, IPv4 CIDR ranges; `value[;score]`), found in any string:
/// a domain matches itself and its subdomains, never a longer label ("evil.com" is in
/// "www.evil.com/x" but not in "notevil.com" or "evil.com.au"); an IP matches as a whole
/// address; a CIDR matches every IPv4 address in the string that falls in it.
public struct C2IOCs: Sendable {
    public private(set) var iocs: [C2IOC] = []
    private var index = LiteralIndex()
    private var ranges: [(network: UInt32, mask: UInt32, ioc: Int)] = []

    mutating func load(text: String, file: String, diagnostics: inout [IOCDiagnostic]) {
        for entry in IOCLines(text: text) {
            let fields = IOCLines.fields(entry.text)
            let value = fields[0].trimmingBlanks.lowercased()
            func reject(_ why: String) { diagnostics.append(IOCDiagnostic(file: file, line: entry.number, message: why)) }
            var score = C2IOC.defaultScore
            if fields.count >= 2 {
                switch IOCLines.score(fields[1]) {
                case .success(let parsed): score = parsed
                case .failure(let error): reject(error.message); continue
                }
            }
            // LOKI rejects values shorter than four characters: they match far too much.
            guard value.utf8.count >= 4 else { reject("C2 value shorter than 4 characters: \"\(value)\""); continue }
            let kind: C2IOC.Kind
            if let slash = value.firstIndex(of: "/") {
                guard let network = IPv4.parse(value[..<slash]), let bits = Int(value[value.index(after: slash)...]),
                      (0...32).contains(bits) else { reject("not an IPv4 CIDR range: \"\(value)\""); continue }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
                ranges.append((network & mask, mask, iocs.count))
                kind = .cidr
            } else if IPv4.parse(Substring(value)) != nil {
                kind = .ipv4
            } else if value.utf8.contains(UInt8(ascii: ":")) {
                guard value.utf8.allSatisfy({ C2IOCs.isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
                    reject("not an IPv6 address: \"\(value)\""); continue
                }
                kind = .ipv6
            } else {
                guard value.utf8.contains(UInt8(ascii: ".")), value.utf8.allSatisfy(C2IOCs.isDomainByte) else {
                    reject("not a domain, IP address or CIDR range: \"\(value)\""); continue
                }
                kind = .domain
            }
            if kind != .cidr { index.add(Array(value.utf8), foldCase: true, owner: iocs.count) }
            iocs.append(C2IOC(value: value, kind: kind, score: score, description: entry.comment, file: file, line: entry.number))
        }
    }

    /// The C2 IOCs found in `text`, each once, in file order.
    public func match(_ text: String) -> [C2IOC] { match(ScanText(text)) }

    public func match(_ text: ScanText) -> [C2IOC] { matchIndices(text).map { iocs[$0] } }

    /// The positions in `iocs` of the C2 IOCs found in `text`, each once, ascending.
    public func matchIndices(_ text: ScanText) -> [Int] {
        guard !iocs.isEmpty else { return [] }
        let bytes = text.folded
        var found = Set<Int>()
        for (owner, offset) in index.occurrences(in: text) where !found.contains(owner) {
            let ioc = iocs[owner]
            let end = offset + ioc.value.utf8.count
            let ok: Bool
            switch ioc.kind {
            case .domain: ok = domainBoundary(bytes, offset, end)
            case .ipv6: ok = addressBoundary(bytes, offset, end, part: { C2IOCs.isHex($0) || $0 == UInt8(ascii: ":") })
            default: ok = addressBoundary(bytes, offset, end, part: IPv4.isDigit)
            }
            if ok { found.insert(owner) }
        }
        if !ranges.isEmpty {
            for address in IPv4.addresses(in: bytes) {
                for r in ranges where address & r.mask == r.network { found.insert(r.ioc) }
            }
        }
        return found.sorted()
    }

    private func domainBoundary(_ s: [UInt8], _ start: Int, _ end: Int) -> Bool {
        if start > 0, C2IOCs.isLabelByte(s[start - 1]) { return false }
        if end < s.count {
            if C2IOCs.isLabelByte(s[end]) { return false }
            if s[end] == UInt8(ascii: "."), end + 1 < s.count, C2IOCs.isLabelByte(s[end + 1]) { return false }
        }
        return true
    }

    /// An address is not part of a longer one: no address character (`part`) and no dot
    /// followed by one on either side.
    private func addressBoundary(_ s: [UInt8], _ start: Int, _ end: Int, part: (UInt8) -> Bool) -> Bool {
        if start > 0, part(s[start - 1]) || s[start - 1] == UInt8(ascii: ".") { return false }
        if end < s.count {
            if part(s[end]) { return false }
            if s[end] == UInt8(ascii: "."), end + 1 < s.count, C2IOCs.isHex(s[end + 1]) { return false }
        }
        return true
    }

    static func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) }
    static func isLabelByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }
    static func isDomainByte(_ b: UInt8) -> Bool { isLabelByte(b) || b == UInt8(ascii: ".") }
}

/// Dotted-quad IPv4 parsing and extraction.
enum IPv4 {
    static func parse(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    /// Every dotted quad in `bytes` that is not part of a longer dotted number.
    static func addresses(in bytes: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) else { i += 1; continue }
            var j = i
            while j < bytes.count, isDigit(bytes[j]) || bytes[j] == UInt8(ascii: ".") { j += 1 }
            var token = bytes[i..<j]
            while token.last == UInt8(ascii: ".") { token = token.dropLast() }
            if let address = parse(Substring(String(decoding: token, as: UTF8.self))) { out.append(address) }
            i = j
        }
        return out
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
