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
    /// Workers `start` launched that are not ready yet.
    private var starting = 0
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

    /// Starts every worker at once: the first reports module initialisation and is waited for;
    /// the others load their rules meanwhile on the other cores instead of one after the other
    /// when the scan first needs them (a core idled through the first worker's start). One that
    /// fails to start is started again on demand.
    func start() throws -> WorkerReady {
        condition.lock()
        spawned = size
        starting = size - 1
        condition.unlock()
        for _ in 1..<size {
            Thread { [self] in release(try? spawn(reportInit: false).0, startedByStart: true) }.start()
        }
        let first: (WorkerProcess, WorkerReady)
        do { first = try spawn(reportInit: true) } catch {
            release(nil)
            shutdown()
            throw error
        }
        let (worker, ready) = first
        guard ready.failure.isEmpty else {
            worker.terminate(kill: true)
            release(nil)
            // The workers started beside it would otherwise live on, unused, until the process ends.
            shutdown()
            throw ConfigError(ready.failure)
        }
        release(worker)
        return ready
    }

    private func spawn(reportInit: Bool) throws -> (WorkerProcess, WorkerReady) {
        let worker = try WorkerProcess(executable: executable, quiet: quiet)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(worker.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        do {
            let hello = try worker.frames.receive()
            var r = WireReader(hello.payload)
            guard hello.kind == FrameKind.hello, try r.u32() == UInt32(Wire.version) else {
                throw Wire.Failure.protocolError("worker speaks another protocol version")
            }
            var cfg = config
            cfg.reportInit = reportInit
            try Wire.send(worker.socket, kind: FrameKind.config, payload: cfg.encode())
            while true {
                let frame = try worker.frames.receive()
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

    private func release(_ worker: WorkerProcess?, startedByStart: Bool = false) {
        condition.lock()
        if startedByStart { starting -= 1 }
        if let worker { idle.append(worker) } else { spawned -= 1 }
        condition.broadcast()
        condition.unlock()
    }

    /// Scans a batch of objects on one worker at a time, calling `done` for each in order; blocks
    /// the calling thread. A batch saves a round trip per file; when a worker dies, the object it
    /// was on is known (the first not done), and the rest go to its replacement.
    /// `observe` sees every log event the worker sends for the batch (they go to the reporter too).
    /// `promptly`: each object's `done` comes as soon as it is scanned (a client waits for it),
    /// at the cost of a wake-up each; otherwise the worker signals once, at the end of the batch.
    func scan(_ batch: [WorkItem], promptly: Bool = false, observe: ((LogEvent) -> Void)? = nil,
              done: (WorkItem, ScanOutcome) -> Void) {
        struct Pending {
            var item: WorkItem
            var retried = false
        }
        var pending = batch.map { Pending(item: $0) }[...]
        var lostWorkers = 0
        while let first = pending.first {
            condition.lock()
            let disabledNow = disabled
            condition.unlock()
            var items = pending.map(\.item)
            if !disabledNow.isEmpty {
                for i in items.indices { items[i].excludedModules = Array(Set(items[i].excludedModules).union(disabledNow)) }
            }
            let worker: WorkerProcess
            do { worker = try acquire() } catch {
                reporter.error(module: "Supervisor", "Cannot start a worker", fields: [("FILE", first.item.displayPath ?? first.item.path), ("ERROR", "\(error)")])
                return
            }
            var doneInBatch = 0
            do {
                worker.lastStartedModule = nil
                worker.breadcrumb.finishedObjects = 0
                var w = WireWriter()
                w.u32(UInt32(items.count))
                w.u8(promptly ? 1 : 0)
                for item in items { w.bytes += item.encode() }
                try Wire.send(worker.socket, kind: FrameKind.work, payload: w.bytes)
            } catch {
                // The worker was gone before it saw these objects: not their fault.
                reporter.message(.warning, module: "Supervisor", "Replacing a lost worker", fields: [("REASON", worker.terminate(kill: true))])
                release(nil)
                lostWorkers += 1
                if lostWorkers < 3 { continue }
                reporter.error(module: "Supervisor", "Workers keep dying before they start", fields: [("FILE", first.item.displayPath ?? first.item.path)])
                return
            }
            do {
                while let current = pending.first {
                    let outcome = try awaitDone(worker, observe: observe)
                    worker.lastStartedModule = nil
                    worker.objectsDone += 1
                    worker.bytesDone += UInt64(outcome.bytes)
                    pending.removeFirst()
                    doneInBatch += 1
                    done(current.item, outcome)
                }
                if worker.objectsDone >= limits.recycleAfter || worker.bytesDone >= limits.recycleAfterBytes {
                    reporter.message(.debug, module: "Supervisor", "Replacing a worker that reached its recycle limit",
                                     fields: [("OBJECTS", String(worker.objectsDone)), ("BYTES", String(worker.bytesDone))])
                    retire(worker)
                    release(nil)
                } else {
                    release(worker)
                }
            } catch {
                var isProtocolError = false
                if case Wire.Failure.protocolError = error { isProtocolError = true }
                let module = isProtocolError ? worker.lastStartedModule ?? worker.breadcrumb.read() : worker.breadcrumb.read()
                let how = worker.terminate(kill: true)
                release(nil)
                // Objects the worker finished whose "done" frames were still in its buffer: done,
                // with what they read unknown. Not after garbage on the socket: it came before the
                // "done" of the object whose module wrote it, which is still the first pending.
                let finished = isProtocolError ? 0 : worker.breadcrumb.finishedObjects
                while doneInBatch < finished, let lost = pending.popFirst() {
                    doneInBatch += 1
                    done(lost.item, ScanOutcome(examined: true))
                }
                guard var failed = pending.popFirst() else { return }
                let reason: String
                switch error {
                case WorkerFailure.deadline: reason = "exceeded the object deadline of \(Self.seconds(limits.objectTimeout))"
                case WorkerFailure.memory(let mb): reason = "exceeded the worker memory limit of \(limits.memoryMB) MB (resident \(mb) MB)"
                case Wire.Failure.closed: reason = how
                default: reason = "\(error); worker \(how)"
                }
                reporter.error(module: module ?? "Filescan", "Worker died while scanning",
                               fields: [("FILE", failed.item.displayPath ?? failed.item.path), ("REASON", reason)])
                if let module, !failed.retried {
                    noteFailure(of: module)
                    failed.retried = true
                    failed.item.excludedModules.append(module)
                    pending.insert(failed, at: pending.startIndex)
                } else {
                    done(failed.item, ScanOutcome())
                }
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

    private func awaitDone(_ worker: WorkerProcess, observe: ((LogEvent) -> Void)? = nil) throws -> ScanOutcome {
        // The deadline of each object starts when the previous one is done.
        let deadline = Date().addingTimeInterval(limits.objectTimeout)
        while true {
            if let frame = try worker.frames.next() {
                switch frame.kind {
                case FrameKind.event:
                    let event = try EventCodec.decode(frame.payload)
                    // What the false-positive filters drop is not a result for the caller either.
                    if reporter.emit(event) { observe?(event) }
                case FrameKind.done: return try ScanOutcome.decode(frame.payload)
                case FrameKind.moduleStart:
                    var r = WireReader(frame.payload)
                    worker.lastStartedModule = try r.string()
                default: throw Wire.Failure.protocolError("unexpected frame \(frame.kind)")
                }
                continue
            }
            // Frames arrive unannounced while the worker scans; they are read when it signals, when
            // it ended, or on the 50 ms round of the checks below.
            if try worker.frames.fillAvailable() { continue }
            let now = Date()
            if now >= deadline { throw WorkerFailure.deadline }
            // Resident memory is sampled every 50 ms per worker, not per object.
            if limits.memoryMB > 0 && now >= worker.nextMemoryCheck {
                let mb = worker.residentMB
                if mb > limits.memoryMB { throw WorkerFailure.memory(mb) }
                worker.nextMemoryCheck = now.addingTimeInterval(0.05)
            }
            worker.waitForFrames(timeout: min(0.05, deadline.timeIntervalSince(now)), streaming: worker.frames.holdsPartialFrame)
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
        // A worker still starting (a scan shorter than a start) is retired with the rest.
        while starting > 0 { condition.wait() }
        let workers = idle
        idle.removeAll()
        condition.unlock()
        workers.forEach(retire)
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}
