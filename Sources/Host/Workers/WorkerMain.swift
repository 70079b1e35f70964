import CHostSystem
import Foundation
import Glibc

/// The worker role of the `thor` executable: loads the modules once, then scans the files the
/// supervisor sends, returning every log event over the socket.
public enum WorkerMain {
    public static let argument = "__worker"
    static let socketFD: Int32 = 3
    static let breadcrumbFD: Int32 = 4
    static let signalFD: Int32 = 5

    /// What `ps` and `top` call a worker, beside its supervisor `thor`.
    static let processName = "thor-worker"

    public static func run() -> Never {
        // The main thread's name is the process's: set from inside it, Foundation passes it to the system.
        Thread.current.name = processName
        SchedulingPolicy.normal()
        // Die with the supervisor (prctl's parent-death signal follows the spawning thread, not the
        // process, so a watchdog thread checks the parent instead), and leave no core files behind.
        let parent = getppid()
        Thread {
            Thread.current.name = "parent-watch"
            while getppid() == parent { usleep(200_000) }
            _exit(0)
        }.start()
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        do {
            try serve()
            exit(0)
        } catch {
            // The supervisor reports the exit status; this says why.
            fputs("thor worker: \(error)\n", stderr)
            exit(70)
        }
    }

    private static func serve() throws {
        let fd = socketFD
        var hello = WireWriter()
        hello.u32(UInt32(Wire.version))
        try Wire.send(fd, kind: FrameKind.hello, payload: hello.bytes)
        let frames = FrameBuffer(fd: fd, validKinds: FrameKind.toWorker)
        let first = try frames.receive()
        guard first.kind == FrameKind.config else { throw Wire.Failure.protocolError("expected config") }
        let config = try EngineConfig.decode(first.payload)
        if config.memoryLimitMB > 0 {
            // The supervisor kills at the limit; this is the hard stop behind it.
            let bytes = rlim_t(config.memoryLimitMB) * 1_048_576 * 2 + (2 << 30)
            var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
            setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        }
        let breadcrumb = try Breadcrumb(fd: breadcrumbFD)
        let out = FrameWriter(fd: fd, signalFD: signalFD)
        let sink = WireSink(out: out)
        let reporter = Reporter(scoring: config.scoring, sinks: [sink], timeStyle: config.logContext.timeStyle)
        let engine: ScanEngine
        do {
            engine = try ScanEngine(config: config, reporter: reporter)
        } catch {
            try Wire.send(fd, kind: FrameKind.ready, payload: WorkerReady(loaded: [], available: [], failure: "\(error)").encode())
            return
        }
        // The last module that ran stays in the breadcrumb until the next object. Outermost calls
        // are also announced in the stream, so garbage a module writes on the socket is blamed on
        // the module that was running when it was written.
        engine.pipeline.onModuleChange = { module, depth in
            guard let module else { return }
            breadcrumb.set(module)
            if depth == 1 {
                var w = WireWriter()
                w.string(module)
                try? out.send(kind: FrameKind.moduleStart, payload: w.bytes)
            }
        }
        let ready = WorkerReady(loaded: engine.loaded.modules.map(\.name),
                                available: engine.loaded.candidates.map(\.name).filter { !$0.isEmpty },
                                versions: engine.versions, failure: "")
        try Wire.send(fd, kind: FrameKind.ready, payload: ready.encode())
        let scanner = engine.makeScanner(mapLargeFiles: true)
        while true {
            let frame = try frames.receive()
            switch frame.kind {
            case FrameKind.work:
                var r = WireReader(frame.payload)
                let count = Int(try r.u32())
                let promptly = try r.u8() != 0
                guard count <= frame.payload.count else { throw Wire.Failure.protocolError("batch of \(count)") }
                let items = try (0..<count).map { _ in try WorkItem.decode(&r) }
                breadcrumb.clear()
                try scanner.scanEach(items) { index, outcome in
                    breadcrumb.finishedObjects = index + 1
                    try out.done(outcome.encode(), signal: promptly || index == count - 1)
                    if index + 1 < count { breadcrumb.clear() }
                }
            case FrameKind.finish:
                engine.finish()
                try out.done(ScanOutcome().encode(), signal: true)
                return
            default:
                throw Wire.Failure.protocolError("unexpected frame \(frame.kind)")
            }
        }
    }
}

/// Sends a worker's log events to its supervisor.
final class WireSink: LogSink {
    private let out: FrameWriter
    init(out: FrameWriter) { self.out = out }
    func write(_ event: LogEvent) { try? out.send(kind: FrameKind.event, payload: EventCodec.encode(event)) }
    func close() {}
}
