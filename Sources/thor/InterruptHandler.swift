import Dispatch
import Glibc

/// Ctrl-C (and SIGTERM) stop the scan cleanly: the walk ends, objects in flight finish, every
/// output is flushed. A second Ctrl-C exits at once.
final class InterruptHandler {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0

    init(_ stop: @escaping () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.count += 1
                if self.count > 1 { exit(130) }
                stop()
            }
            source.resume()
            sources.append(source)
        }
    }
}
