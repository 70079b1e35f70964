import CHostSystem
import Glibc

/// How far a scan lowers its own priority, and so its workers' (thor-spec section 6): THOR does it
/// by default (`--lowprio`), so that the host's own work goes first; `--verylowprio` yields to
/// everything, `--lowioprio` reads only when the disk is otherwise idle, `--nolowprio` keeps
/// normal priority on hosts that are never idle.
public struct ProcessPriority: Sendable, Equatable {
    public enum CPU: Int32, Sendable { case normal = 0, low = 10, veryLow = 19 }
    public enum IO: Sendable { case normal, low, idle }

    public var cpu: CPU
    public var io: IO

    public init(cpu: CPU, io: IO) {
        self.cpu = cpu
        self.io = io
    }

    public static let low = ProcessPriority(cpu: .low, io: .low)
    public static let normal = ProcessPriority(cpu: .normal, io: .normal)

    /// Lowers this process's priority as far as asked; a process started nicer than that keeps its nice value.
    func apply() {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if cpu != .normal && getpriority(which, 0) < cpu.rawValue { setpriority(which, 0, cpu.rawValue) }
        switch io {
        case .normal: break
        case .low: _ = thor_set_io_priority(2, 7) // the lowest best-effort level
        case .idle: _ = thor_set_io_priority(3, 0)
        }
    }

    /// What the process runs with now: its nice value and I/O class, as `ps` and `ionice` show them.
    static func current() -> (nice: Int32, io: String) {
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let value = thor_get_io_priority()
        let io: String
        switch value >> 13 {
        case 1: io = "realtime \(value & 7)"
        case 2: io = "best-effort \(value & 7)"
        case 3: io = "idle"
        default: io = "none"
        }
        return (nice, io)
    }
}
