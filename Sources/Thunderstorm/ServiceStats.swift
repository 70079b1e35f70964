import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Live counters for /api/status, the landing page and the per-minute histories.
public final class ServiceStats: Sendable {
    public enum History: String, Sendable, CaseIterable {
        case queue, sample, denied
    }

    private struct Minute {
        var samples: Int64 = 0
        var denied: Int64 = 0
        var maxQueue: Int64 = 0
    }

    private struct State {
        var scanned: Int64 = 0
        var scanMilliseconds: Double = 0
        var totalMilliseconds: Double = 0
        var waitMilliseconds: Double = 0
        var quotaWaits: Int64 = 0
        var quotaWaitMilliseconds: Double = 0
        var denied: Int64 = 0
        var syncRequests: Int64 = 0
        var minutes: [Int64: Minute] = [:]
    }

    /// A day of minutes, as THOR's histories show.
    static let keptMinutes: Int64 = 24 * 60

    private let started: Double
    private let state = NIOLockedValueBox(State())

    public init(now: Double = ServiceStats.now()) {
        started = now
    }

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// One scanned sample: `wait` is the time from upload end to scan start.
    public func recordScan(scanSeconds: Double, totalSeconds: Double, waitSeconds: Double, at now: Double = ServiceStats.now()) {
        state.withLockedValue { s in
            s.scanned += 1
            s.scanMilliseconds += scanSeconds * 1000
            s.totalMilliseconds += totalSeconds * 1000
            s.waitMilliseconds += waitSeconds * 1000
            s.minutes[Self.minute(now), default: Minute()].samples += 1
            Self.trim(&s, now: now)
        }
    }

    /// A sync request that found every slot busy and waited `seconds` for one.
    public func recordQuotaWait(seconds: Double) {
        state.withLockedValue { s in
            s.quotaWaits += 1
            s.quotaWaitMilliseconds += seconds * 1000
        }
    }

    public func recordSyncRequest() {
        state.withLockedValue { $0.syncRequests += 1 }
    }

    public func recordDenied(at now: Double = ServiceStats.now()) {
        state.withLockedValue { s in
            s.denied += 1
            s.minutes[Self.minute(now), default: Minute()].denied += 1
        }
    }

    public func recordQueueLength(_ length: Int, at now: Double = ServiceStats.now()) {
        state.withLockedValue { s in
            let key = Self.minute(now)
            s.minutes[key, default: Minute()].maxQueue = max(s.minutes[key]?.maxQueue ?? 0, Int64(length))
        }
    }

    public var scannedSamples: Int64 { state.withLockedValue { $0.scanned } }

    /// Average scan time so far, for Retry-After estimates.
    public var averageScanSeconds: Double {
        state.withLockedValue { $0.scanned == 0 ? 0 : $0.scanMilliseconds / 1000 / Double($0.scanned) }
    }

    /// The /api/status object (superset of every key a client or document uses; no `status` key).
    public func statusObject(queued: Int, now: Double = ServiceStats.now()) -> JSONValue {
        state.withLockedValue { s in
            func average(_ total: Double, _ count: Int64) -> JSONValue { .int(count == 0 ? 0 : Int64((total / Double(count)).rounded())) }
            let proportion = s.syncRequests == 0 ? 0 : Double(s.denied) / Double(s.syncRequests)
            return .object([
                // At least 1: the thunderstormAPI test asserts uptime_seconds > 0.
                ("uptime_seconds", .int(max(1, Int64(now - started)))),
                ("scanned_samples", .int(s.scanned)),
                ("queued_async_requests", .int(Int64(queued))),
                ("avg_scan_time_milliseconds", average(s.scanMilliseconds, s.scanned)),
                ("avg_total_time_milliseconds", average(s.totalMilliseconds, s.scanned)),
                ("avg_wait_time_milliseconds", average(s.waitMilliseconds, s.scanned)),
                ("quota_waits", .int(s.quotaWaits)),
                ("quota_wait_time_milliseconds", average(s.quotaWaitMilliseconds, s.quotaWaits)),
                ("denied_requests", .int(s.denied)),
                ("denied_request_proportion", .double(proportion)),
            ])
        }
    }

    /// `{"YYYY-MM-DD HH:MM": n}` per `aggregate` minutes, over the last `limit` minutes (local time).
    public func history(_ kind: History, aggregate: Int, limit: Int?, now: Double = ServiceStats.now()) -> JSONValue {
        let step = Int64(max(1, aggregate))
        let current = Self.minute(now)
        let oldest = limit.map { current - Int64(max(0, $0)) + 1 } ?? (current - Self.keptMinutes + 1)
        var buckets: [Int64: Int64] = [:]
        state.withLockedValue { s in
            for (minute, counts) in s.minutes where minute >= oldest && minute <= current {
                let value: Int64
                switch kind {
                case .sample: value = counts.samples
                case .denied: value = counts.denied
                case .queue: value = counts.maxQueue
                }
                let bucket = minute - ((minute % step) + step) % step
                buckets[bucket] = kind == .queue ? max(buckets[bucket] ?? 0, value) : (buckets[bucket] ?? 0) + value
            }
        }
        return .object(buckets.keys.sorted().map { (Self.label(minute: $0), .int(buckets[$0] ?? 0)) })
    }

    private static func minute(_ time: Double) -> Int64 { Int64((time / 60).rounded(.down)) }

    private static func trim(_ s: inout State, now: Double) {
        guard s.minutes.count > Int(keptMinutes) + 60 else { return }
        let oldest = minute(now) - keptMinutes
        s.minutes = s.minutes.filter { $0.key >= oldest }
    }

    static func label(minute: Int64) -> String {
        var seconds = time_t(minute * 60)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) \(pad(parts.tm_hour)):\(pad(parts.tm_min))"
    }
}
