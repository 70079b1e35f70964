import ArgumentParser
import Host

/// What every log line carries besides its event: the scan ID, a UID, user names.
struct LogLineFlags: ParsableArguments {
    @Option(name: [.customShort("i"), .customLong("scanid")], help: "Use this scan ID instead of a random one.")
    var scanID: String?

    @Option(name: .customLong("scanid-prefix"), help: "Prefix of the random scan ID.")
    var scanIDPrefix = "S-"

    @Flag(name: .customLong("noscanid"), help: "No scan ID in the log lines.")
    var noScanID = false

    @Flag(name: .customLong("genid"), help: "A UID in every line, derived from its content: identical messages (from any scan or host) get the same UID.")
    var generateUID = false

    @Flag(name: .customLong("suppresspi"),
          help: "Take user names out of the logs: USER and OWNER values, and the profile folder in paths below X:\\Users, X:\\Documents and Settings and /home, become ANONYMIZED_BY_THOR.")
    var suppressPersonalData = false

    func validate() throws {
        if let scanID { try Self.requireToken(scanID, flag: "--scanid", allowEmpty: false) }
        try Self.requireToken(scanIDPrefix, flag: "--scanid-prefix", allowEmpty: true)
        if noScanID && scanID != nil { throw ValidationError("--scanid and --noscanid exclude each other") }
    }

    /// A scan ID is one word of a line (`SCANID: S-...`): a space or control character would end it early.
    private static func requireToken(_ value: String, flag: String, allowEmpty: Bool) throws {
        if value.isEmpty && !allowEmpty { throw ValidationError("\(flag) must not be empty") }
        if value.count > 64 { throw ValidationError("\(flag) is longer than 64 characters") }
        if value.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("\(flag) must not contain spaces or control characters")
        }
    }

    func apply(to options: inout ScanOptions) {
        options.scanID = scanID
        options.scanIDPrefix = scanIDPrefix
        options.noScanID = noScanID
        options.generateUID = generateUID
        options.suppressPersonalData = suppressPersonalData
    }
}
