import ArgumentParser
import Host

/// THOR's `--no<module>` switches for the shipped modules: everything else stays on.
struct ModuleSwitchFlags: ParsableArguments {
    @Flag(name: .customLong("noyara"), help: "Do not run the yara module.") var noYara = false
    @Flag(name: .customLong("nosigma"), help: "Do not run the sigma module.") var noSigma = false
    @Flag(name: .customLong("noevtx"), help: "Do not run the evtx module (event logs are not parsed).") var noEVTX = false
    @Flag(name: .customLong("noarchive"), help: "Do not run the archive module (archive members are not scanned).") var noArchive = false

    func apply(to options: inout ScanOptions) {
        let off: [(Bool, String)] = [(noYara, "yara"), (noSigma, "sigma"), (noEVTX, "evtx"), (noArchive, "archive")]
        options.disabledModules = Set(off.filter(\.0).map(\.1))
    }
}
