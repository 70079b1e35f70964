import Foundation
import Glibc

/// The supervisor's workers: hands each object to an idle worker, relays its log events, and
/// when a worker dies, overruns its deadline or its memory, logs which module did it on which
/// object, replaces the worker and retries the object once without that module.
final class WorkerPool: @unchecked Sendable {
    private let executable: String
    private let config: EngineConfig
    private let limits: WorkerLimits
    private let reporter: Reporter
    private let quiet: Bool
    private let condition = NSCondition()
    private var idle: [WorkerProcess] = []
    private var spawned = 0
    private let size: Int
    private var failures: [String: Int] = [:]
    private var disabled: [String] = []

    init(executable: String, config: EngineConfig, size: Int, limits: WorkerLimits, reporter: Reporter, quiet: Bool) {
        self.executable = executable
        self.config = config
        self.size = max(1, size)
        self.limits = limits
        self.reporter = reporter
        self.quiet = quiet
    }

    /// Starts the first worker, which reports module initialisation; the rest start on demand.
    func start() throws -> WorkerReady {
        let (worker, ready) = try spawn(reportInit: true)
        guard ready.failure.isEmpty else {
            worker.terminate(kill: true)
            throw ConfigError(ready.failure)
        }
        condition.lock()
        idle.append(worker)
        spawned = 1
        condition.unlock()
        return ready
    }

    private func spawn(reportInit: Bool) throws -> (WorkerProcess, WorkerReady) {
        let worker = try WorkerProcess(executable: executable, quiet: quiet)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(worker.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        do {
            let hello = try Wire.receive(worker.socket, validKinds: FrameKind.toSupervisor)
            var r = WireReader(hello.payload)
            guard hello.kind == FrameKind.hello, try r.u32() == UInt32(Wire.version) else {
                throw Wire.Failure.protocolError("worker speaks another protocol version")
            }
            var cfg = config
            cfg.reportInit = reportInit
            try Wire.send(worker.socket, kind: FrameKind.config, payload: cfg.encode())
            while true {
                let frame = try Wire.receive(worker.socket, validKinds: FrameKind.toSupervisor)
                if frame.kind == FrameKind.event {
                    reporter.emit(try EventCodec.decode(frame.payload))
                } else if frame.kind == FrameKind.ready {
                    return (worker, try WorkerReady.decode(frame.payload))
                } else {
                    throw Wire.Failure.protocolError("unexpected frame \(frame.kind) during start")
                }
            }
        } catch {
            let how = worker.terminate(kill: true)
            throw ConfigError("worker failed to start: \(error) (\(how))")
        }
    }

    private func acquire() throws -> WorkerProcess {
        condition.lock()
        while idle.isEmpty && spawned >= size { condition.wait() }
        if let worker = idle.popLast() {
            condition.unlock()
            return worker
        }
        spawned += 1
        condition.unlock()
        do {
            return try spawn(reportInit: false).0
        } catch {
            condition.lock()
            spawned -= 1
            condition.broadcast()
            condition.unlock()
            throw error
        }
    }

    private func release(_ worker: WorkerProcess?) {
        condition.lock()
        if let worker { idle.append(worker) } else { spawned -= 1 }
        condition.broadcast()
        condition.unlock()
    }

    /// Scans one object on some worker; blocks the calling thread until it is done.
    func scan(_ item: WorkItem) -> ScanOutcome {
        var work = item
        var retried = false
        while true {
            condition.lock()
            work.excludedModules = Array(Set(work.excludedModules).union(disabled))
            condition.unlock()
            let worker: WorkerProcess
            do { worker = try acquire() } catch {
                reporter.error(module: "Supervisor", "Cannot start a worker", fields: [("FILE", item.displayPath ?? item.path), ("ERROR", "\(error)")])
                return ScanOutcome()
            }
            do {
                try Wire.send(worker.socket, kind: FrameKind.work, payload: work.encode())
                let outcome = try awaitDone(worker)
                worker.objectsDone += 1
                if worker.objectsDone >= limits.recycleAfter {
                    retire(worker)
                    release(nil)
                } else {
                    release(worker)
                }
                return outcome
            } catch {
                let module = worker.breadcrumb.read()
                let how = worker.terminate(kill: true)
                release(nil)
                let reason: String
                switch error {
                case WorkerFailure.deadline: reason = "exceeded the object deadline of \(Self.seconds(limits.objectTimeout))"
                case WorkerFailure.memory(let mb): reason = "exceeded the worker memory limit of \(limits.memoryMB) MB (resident \(mb) MB)"
                case Wire.Failure.closed: reason = how
                default: reason = "\(error); worker \(how)"
                }
                let file = item.displayPath ?? item.path
                reporter.error(module: module ?? "Filescan", "Worker died while scanning",
                               fields: [("FILE", file), ("REASON", reason)])
                guard !retried, let module else { return ScanOutcome() }
                retried = true
                work.excludedModules.append(module)
                noteFailure(of: module)
            }
        }
    }

    private func noteFailure(of module: String) {
        condition.lock()
        failures[module, default: 0] += 1
        let count = failures[module]!
        let disable = count >= limits.maxModuleFailures && !disabled.contains(module)
        if disable { disabled.append(module) }
        condition.unlock()
        if disable {
            reporter.error(module: module, "Module disabled for the rest of the scan after \(count) failures")
        }
    }

    private enum WorkerFailure: Error {
        case deadline
        case memory(Int)
    }

    private func awaitDone(_ worker: WorkerProcess) throws -> ScanOutcome {
        let deadline = Date().addingTimeInterval(limits.objectTimeout)
        var nextMemoryCheck = Date()
        while true {
            let now = Date()
            if now >= deadline { throw WorkerFailure.deadline }
            if limits.memoryMB > 0 && now >= nextMemoryCheck {
                let mb = worker.residentMB
                if mb > limits.memoryMB { throw WorkerFailure.memory(mb) }
                nextMemoryCheck = now.addingTimeInterval(0.05)
            }
            guard worker.waitReadable(timeout: min(0.05, deadline.timeIntervalSince(now))) else { continue }
            let frame = try Wire.receive(worker.socket, validKinds: FrameKind.toSupervisor)
            switch frame.kind {
            case FrameKind.event: reporter.emit(try EventCodec.decode(frame.payload))
            case FrameKind.done: return try ScanOutcome.decode(frame.payload)
            default: throw Wire.Failure.protocolError("unexpected frame \(frame.kind)")
            }
        }
    }

    /// Asks a worker to let its modules finish, relays what they log, and reaps it.
    private func retire(_ worker: WorkerProcess) {
        do {
            try Wire.send(worker.socket, kind: FrameKind.finish, payload: [])
            _ = try awaitDone(worker)
            worker.terminate(kill: false)
        } catch {
            worker.terminate(kill: true)
        }
    }

    /// Retires every worker; call once, after the last scan returned.
    func shutdown() {
        condition.lock()
        let workers = idle
        idle.removeAll()
        condition.unlock()
        workers.forEach(retire)
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}
