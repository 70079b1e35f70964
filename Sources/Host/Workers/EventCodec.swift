import Foundation

/// LogEvents as wire payloads, so a worker's messages and findings reach the supervisor intact.
enum EventCodec {
    static func encode(_ event: LogEvent) -> [UInt8] {
        var w = WireWriter()
        switch event {
        case .message(let m):
            w.u8(0)
            w.u64(UInt64(max(0, m.time.timeIntervalSince1970 * 1000)))
            w.string(m.level.rawValue)
            w.string(m.module)
            w.string(m.message)
            w.pairs(m.fields)
        case .finding(let f):
            w.u8(1)
            w.u64(UInt64(max(0, f.time.timeIntervalSince1970 * 1000)))
            w.string(f.level.rawValue)
            w.string(f.module)
            w.string(f.message)
            w.string(f.subjectType)
            w.pairs(f.subject)
            w.pairs(f.subjectFields)
            w.u64(f.score.bitPattern)
            w.u32(UInt32(f.reasons.count))
            for r in f.reasons { reason(r, &w) }
            w.string(f.sourceHost ?? "")
            w.u32(UInt32(clamping: f.depth))
            w.u8(f.parent == nil ? 0 : 1)
            if let parent = f.parent {
                w.string(parent.type)
                w.string(parent.path)
                w.pairs(parent.fields)
            }
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> LogEvent {
        var r = WireReader(bytes)
        let tag = try r.u8()
        let time = Date(timeIntervalSince1970: Double(try r.u64()) / 1000)
        let levelName = try r.string()
        guard let level = Level(rawValue: levelName) else { throw Wire.Failure.protocolError("level \(levelName)") }
        let module = try r.string()
        let message = try r.string()
        switch tag {
        case 0:
            return .message(LogMessage(time: time, level: level, module: module, message: message, fields: try r.pairs()))
        case 1:
            let subjectType = try r.string()
            let subject = try r.pairs()
            let subjectFields = try r.pairs()
            let score = Double(bitPattern: try r.u64())
            let count = Int(try r.u32())
            guard count <= bytes.count else { throw Wire.Failure.protocolError("reason count \(count)") }
            let reasons = try (0..<count).map { _ in try reason(&r) }
            let source = try r.string()
            let depth = Int(try r.u32())
            let parent = try r.u8() == 0 ? nil : ParentObject(type: try r.string(), path: try r.string(), fields: try r.pairs())
            return .finding(FindingReport(time: time, level: level, module: module, message: message, subjectType: subjectType,
                                          subject: subject, subjectFields: subjectFields, score: score, reasons: reasons,
                                          sourceHost: source.isEmpty ? nil : source, depth: depth, parent: parent))
        default:
            throw Wire.Failure.protocolError("event tag \(tag)")
        }
    }

    private static func bytes(_ b: [UInt8], _ w: inout WireWriter) {
        w.u32(UInt32(b.count))
        w.bytes.append(contentsOf: b)
    }

    private static func bytes(_ r: inout WireReader) throws -> [UInt8] {
        let n = Int(try r.u32())
        guard n <= r.bytes.count - r.offset else { throw Wire.Failure.protocolError("byte length \(n)") }
        defer { r.offset += n }
        return Array(r.bytes[r.offset..<r.offset + n])
    }

    private static func reason(_ f: FindingRecord, _ w: inout WireWriter) {
        for s in [f.module, f.ruleName, f.description, f.reference, f.author, f.date, f.sigClass, f.sigType] { w.string(s) }
        w.u64(UInt64(bitPattern: Int64(f.score)))
        w.strings(f.tags)
        w.u32(UInt32(f.matches.count))
        for m in f.matches {
            w.string(m.identifier)
            w.u64(m.offset)
            bytes(m.data, &w)
            bytes(m.context, &w)
            w.string(m.field)
        }
        w.pairs(f.extra.map { ($0.key, $0.value) })
    }

    private static func reason(_ r: inout WireReader) throws -> FindingRecord {
        let s = try (0..<8).map { _ in try r.string() }
        let score = Int(Int64(bitPattern: try r.u64()))
        let tags = try r.strings()
        let n = Int(try r.u32())
        guard n <= r.bytes.count else { throw Wire.Failure.protocolError("match count \(n)") }
        let matches = try (0..<n).map { _ in
            FindingRecord.MatchedString(identifier: try r.string(), offset: try r.u64(), data: try bytes(&r),
                                        context: try bytes(&r), field: try r.string())
        }
        let extra = try r.pairs().map { FindingRecord.KeyValue(key: $0.key, value: $0.value) }
        return FindingRecord(module: s[0], ruleName: s[1], description: s[2], reference: s[3], author: s[4], date: s[5],
                             sigClass: s[6], sigType: s[7], score: score, tags: tags, matches: matches, extra: extra)
    }
}
