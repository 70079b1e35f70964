import Glibc

/// Bytes unpacked for one walked file across all the archives nested in it. Each nested archive
/// is a call of its own (the host hands its members back in), so a per-archive limit alone would
/// multiply with every level (an archive of 16 archives of 16 bombs); this one does not.
///
/// Nested calls run on the thread of the outermost one, inside it: the budget belongs to that
/// thread while the outermost call runs.
final class UnpackBudget {
    var unpacked = 0

    private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var byThread: [pthread_t: UnpackBudget] = [:]
    nonisolated(unsafe) private static var lockReady: Void = { pthread_mutex_init(&lock, nil) }()

    /// The budget of this thread's outermost archive call; `body` of the outermost call gets a
    /// new one, which ends with it.
    static func withCurrent<T>(_ body: (UnpackBudget) throws -> T) rethrows -> T {
        _ = lockReady
        let thread = pthread_self()
        pthread_mutex_lock(&lock)
        let existing = byThread[thread]
        let budget = existing ?? UnpackBudget()
        if existing == nil { byThread[thread] = budget }
        pthread_mutex_unlock(&lock)
        defer {
            if existing == nil {
                pthread_mutex_lock(&lock)
                byThread[thread] = nil
                pthread_mutex_unlock(&lock)
            }
        }
        return try body(budget)
    }
}
