import CHostSystem
import Glibc

/// The Linux scheduling policy of Thunderstorm's own threads. The service wakes for every request
/// (network, upload, hand-over, answer); as SCHED_OTHER threads those wake-ups preempt a worker in
/// the middle of a scan, and both lose their caches. SCHED_BATCH threads do not preempt on
/// wake-up: they run when a worker's time slice ends or it waits for its next samples, which costs
/// a request at most a slice of latency. Workers go back to SCHED_OTHER as they start.
public enum SchedulingPolicy {
    /// Marks the calling thread, and the threads and processes it starts from now on, SCHED_BATCH.
    public static func serviceYieldsToWorkers() {
        set(THOR_SCHED_BATCH)
    }

    /// SCHED_OTHER for the calling thread and what it starts (a worker a service started).
    static func normal() {
        set(SCHED_OTHER)
    }

    private static func set(_ policy: Int32) {
        var parameters = sched_param(sched_priority: 0)
        // Best effort: a kernel without the policy keeps the default, which is only slower.
        _ = sched_setscheduler(0, policy, &parameters)
    }
}
