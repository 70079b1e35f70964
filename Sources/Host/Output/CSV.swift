/// RFC 4180 fields: as they are, or quoted (quotes doubled) when they hold a comma, a quote or a
/// line break, so that a file name from the scanned system cannot add a column or a row.
enum CSV {
    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }
}
