import Glibc

/// Time that only moves forward (CLOCK_MONOTONIC), for delays and deadlines a wall-clock change
/// must not stretch or cut short.
enum MonotonicClock {
    static var nanoseconds: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static var seconds: Double { Double(nanoseconds) / 1e9 }
}
