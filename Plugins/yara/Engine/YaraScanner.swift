import CYara
import Foundation

/// A reusable libyara scanner: one per worker thread, created once, with the externals set
/// per object. Not thread-safe; never share one between threads.
public final class YaraScanner {
    public struct Options: Sendable {
        /// Seconds per object, 0 for none (THOR's --yara-timeout default is 90).
        public var timeoutSeconds: Int = 90
        /// Bytes of context each side of a matched string (THOR's --string-context, 50).
        public var contextBytes: Int = 50
        /// Matched strings reported per rule.
        public var maxStringsPerRule: Int = 10
        /// Files up to this size are read into a reused buffer instead of being mapped: an
        /// munmap in a threaded process costs a TLB shoot-down on every core.
        public var readBufferLimit: Int = 1 << 20
        public init() {}
    }

    public let rules: YaraRules
    public let options: Options
    private let scanner: UnsafeMutablePointer<YR_SCANNER>
    /// The last value given to each external, to skip redundant libyara updates.
    private var externalValues: [String?]
    private var externalNames: [[CChar]]
    // Per-scan state the match callback fills.
    fileprivate var found: [YaraMatch] = []
    fileprivate var buffer = UnsafeRawBufferPointer(start: nil, count: 0)
    private var readBuffer: UnsafeMutableRawBufferPointer?
    // Fast mode only stops recording extra matches of strings the conditions never count
    // or locate, so rule results stay those of the yara CLI.
    private let baseFlags = SCAN_FLAGS_FAST_MODE | SCAN_FLAGS_REPORT_RULES_MATCHING

    public init(rules: YaraRules, options: Options = Options()) throws {
        var raw: UnsafeMutablePointer<YR_SCANNER>?
        let rc = yr_scanner_create(rules.pointer, &raw)
        guard rc == ERROR_SUCCESS, let created = raw else { throw YaraError.library("yr_scanner_create", rc) }
        self.rules = rules
        self.options = options
        scanner = created
        externalValues = Array(repeating: nil, count: rules.externals.count)
        externalNames = rules.externals.map { Array($0.utf8CString) }
        yr_scanner_set_flags(scanner, baseFlags)
        yr_scanner_set_timeout(scanner, Int32(clamping: max(0, options.timeoutSeconds)))
        yr_scanner_set_callback(scanner, scanCallback, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        yr_scanner_destroy(scanner)
        readBuffer?.deallocate()
    }

    /// Sets the external at `index` of `rules.externals` for the following scans.
    public func setExternal(_ index: Int, _ value: String) {
        guard index >= 0, index < externalValues.count, externalValues[index] != value else { return }
        externalValues[index] = value
        _ = externalNames[index].withUnsafeBufferPointer { name in
            yr_scanner_define_string_variable(scanner, name.baseAddress, value)
        }
    }

    /// Sets the externals by name; names the rules do not declare are ignored.
    public func setExternals(_ values: [String: String]) {
        for (i, name) in rules.externals.enumerated() { setExternal(i, values[name] ?? "") }
    }

    /// Scans a byte buffer (file content, a memory region).
    public func scan(_ bytes: UnsafeRawBufferPointer) throws -> YaraScanResult {
        found = []
        buffer = bytes
        defer { buffer = UnsafeRawBufferPointer(start: nil, count: 0) }
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let rc = yr_scanner_scan_mem(scanner, base, bytes.count)
        let result = YaraScanResult(matches: found, timedOut: rc == ERROR_SCAN_TIMEOUT)
        found = []
        if rc != ERROR_SUCCESS && rc != ERROR_SCAN_TIMEOUT { throw YaraError.library("yr_scanner_scan_mem", rc) }
        return result
    }

    /// Maps a regular file read-only and scans all of it.
    public func scanFile(atPath path: String) throws -> YaraScanResult {
        try path.withCString { try scanFile(atCPath: $0) }
    }

    /// As scanFile(atPath:), for paths whose bytes need not be UTF-8.
    public func scanFile(atCPath cPath: UnsafePointer<CChar>) throws -> YaraScanResult {
        let fd = open(cPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.ioError(cPath) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.ioError(cPath) }
        let size = Int(info.st_size)
        if size <= 0 { return try scan(UnsafeRawBufferPointer(start: nil, count: 0)) }
        if size <= options.readBufferLimit { return try scanByReading(fd, size: size, path: cPath) }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { throw Self.ioError(cPath) }
        defer { munmap(map, size) }
        return try scan(UnsafeRawBufferPointer(start: map, count: size))
    }

    /// The path and errno as an error; the path text is only made when something failed.
    private static func ioError(_ cPath: UnsafePointer<CChar>) -> YaraError {
        YaraError.io("\(String(cString: cPath)): \(String(cString: strerror(errno)))")
    }

    private func scanByReading(_ fd: Int32, size: Int, path: UnsafePointer<CChar>) throws -> YaraScanResult {
        if readBuffer == nil {
            readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, options.readBufferLimit), alignment: 16)
        }
        guard let target = readBuffer, let base = target.baseAddress else { throw YaraError.io("no read buffer") }
        var done = 0
        while done < size {
            let n = pread(fd, base + done, size - done, off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.ioError(path)
            }
            if n == 0 { break }  // the file shrank: scan what is there
            done += n
        }
        return try scan(UnsafeRawBufferPointer(start: base, count: done))
    }

    fileprivate func record(_ context: UnsafeMutablePointer<YR_SCAN_CONTEXT>, _ rule: UnsafeMutablePointer<YR_RULE>) {
        let index = Int(cyara_rule_index(rules.pointer, rule))
        var strings: [MatchedString] = []
        var string = cyara_rule_first_string(rule)
        outer: while let s = string {
            var match = cyara_first_match(context, s)
            while let m = match {
                if strings.count >= options.maxStringsPerRule { break outer }
                strings.append(matchedString(s, m))
                match = cyara_next_match(m)
            }
            string = cyara_next_string(s)
        }
        found.append(YaraMatch(ruleIndex: index, strings: strings))
    }

    private func matchedString(_ s: UnsafePointer<YR_STRING>, _ m: UnsafePointer<YR_MATCH>) -> MatchedString {
        let identifier = cyara_string_identifier(s).map { String(cString: $0) } ?? ""
        let offset = m.pointee.base &+ m.pointee.offset
        let dataCount = Int(max(0, m.pointee.data_length))
        let data = m.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: dataCount)) } ?? []
        var context: [UInt8] = []
        // Context only when the match lies inside the buffer being scanned (always, for scan_mem).
        if m.pointee.offset >= 0, let base = buffer.baseAddress, Int(m.pointee.offset) <= buffer.count {
            let start = max(0, Int(m.pointee.offset) - options.contextBytes)
            let end = min(buffer.count, Int(m.pointee.offset) + Int(max(0, m.pointee.match_length)) + options.contextBytes)
            if end > start { context = Array(UnsafeRawBufferPointer(start: base + start, count: end - start)) }
        }
        return MatchedString(identifier: identifier, offset: UInt64(max(0, offset)), data: data, context: context)
    }
}

private let scanCallback: YR_CALLBACK_FUNC = { context, message, messageData, userData in
    guard message == CALLBACK_MSG_RULE_MATCHING, let context, let messageData, let userData else {
        return CALLBACK_CONTINUE
    }
    let scanner = Unmanaged<YaraScanner>.fromOpaque(userData).takeUnretainedValue()
    scanner.record(context, messageData.assumingMemoryBound(to: YR_RULE.self))
    return CALLBACK_CONTINUE
}
