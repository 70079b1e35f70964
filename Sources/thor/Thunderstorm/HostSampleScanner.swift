import Foundation
import Host
import Thunderstorm

/// Thunderstorm's scanner seam backed by the host's workers: the sample goes through the same
/// pipeline as a walked file, and its report becomes the service's verdict.
struct HostSampleScanner: SampleScanner {
    let service: SampleService
    let maxReasons: Int

    func scan(_ sample: SubmittedSample, completion: @escaping @Sendable (Result<SampleVerdict, any Error>) -> Void) {
        service.scan(path: sample.path, displayName: sample.fileName, source: sample.source, size: sample.size, urgent: sample.id == nil) { result in
            completion(result.map { report in
                guard let finding = report.finding else { return .clean(SampleFileFacts(md5: "", sha1: "", sha256: "", type: "")) }
                return Self.verdict(finding, sampleFields: report.sampleFields, maxReasons: maxReasons)
            }.mapError { $0 })
        }
    }

    static func verdict(_ report: FindingReport, sampleFields: [(key: String, value: String)], maxReasons: Int) -> SampleVerdict {
        let field = { (key: String) in sampleFields.first { $0.key == key }?.value ?? "" }
        let facts = SampleFileFacts(md5: field("md5"), sha1: field("sha1"), sha256: field("sha256"), type: field("filetype"))
        let shown = maxReasons == 0 ? report.reasons : Array(report.reasons.prefix(maxReasons))
        let reasons = shown.filter { $0.score > 0 }.map { r in
            FindingReason(ruleName: r.ruleName, subScore: r.score, description: r.description, author: r.author,
                          reference: r.reference, date: r.date, tags: r.tags, sigClass: r.sigClass, sigType: r.sigType,
                          matched: r.matches.map { String(decoding: $0.data, as: UTF8.self) })
        }
        return SampleVerdict(score: Int(report.score.rounded()), level: FindingLevel(rawValue: report.level.rawValue),
                             file: facts, reasons: reasons, reasonsCount: report.reasons.count)
    }
}
