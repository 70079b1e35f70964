import CYara
import Foundation

/// A rule file that did not compile: where and why, as libyara reported it.
public struct CompileFailure: Equatable, Codable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Compiles rule files the way LOKI (and ../shared/bench/build-rules.sh) does: each file is
/// test-compiled alone with the externals declared, so one broken file cannot spoil the rest;
/// the files that pass are then added, in order, to one compiler in the default namespace.
enum RuleCompiler {
    /// `namespaces[i]` is the namespace of `files[i]` (libyara's "default" when nil).
    static func compile(files: [String], namespaces: [String]?, externals: [String]) throws -> (OpaquePointer, [String], [CompileFailure]) {
        try YaraLibrary.ensureInitialized()
        var namespaceOf: [String: String] = [:]
        if let namespaces { for (file, ns) in zip(files, namespaces) { namespaceOf[file] = ns } }
        var accepted: [String] = []
        var failures: [CompileFailure] = []
        for file in files {
            if let failure = try testCompile(file, externals: externals) { failures.append(failure) } else { accepted.append(file) }
        }
        // A file that compiles alone can still clash with an earlier one (a duplicate rule
        // name); libyara's compiler is unusable after an error, so start over without it.
        while true {
            let compiler = try makeCompiler(externals: externals)
            defer { yr_compiler_destroy(compiler.pointer) }
            var clash: (Int, CompileFailure)?
            for (i, file) in accepted.enumerated() {
                if let failure = add(file, to: compiler, namespace: namespaceOf[file]) { clash = (i, failure); break }
            }
            if let (index, failure) = clash {
                failures.append(failure)
                accepted.remove(at: index)
                continue
            }
            var rules: UnsafeMutablePointer<YR_RULES>?
            let rc = yr_compiler_get_rules(compiler.pointer, &rules)
            guard rc == ERROR_SUCCESS, let compiled = rules else { throw YaraError.library("yr_compiler_get_rules", rc) }
            return (OpaquePointer(compiled), accepted, failures)
        }
    }

    /// Whether `files` (each compiles alone with `externals` declared) read the external `name`.
    /// libyara cannot list what rules read, so each file that holds `name` as a word (not as
    /// `hash.md5`) is compiled alone once more without `name` declared: it fails if it reads it.
    static func reads(external name: String, files: [String], externals: [String]) throws -> Bool {
        guard externals.contains(name) else { return false }
        let others = externals.filter { $0 != name }
        for file in files where mentions(name, inFileAt: file) {
            if try testCompile(file, externals: others) != nil { return true }
        }
        return false
    }

    /// `name` as a word of its own: not inside a longer identifier, not a module field.
    private static func mentions(_ name: String, inFileAt path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let word = Array(name.utf8)
        func isIdentifier(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x30 && b <= 0x39 }
        return data.withUnsafeBytes { (text: UnsafeRawBufferPointer) -> Bool in
            guard text.count >= word.count else { return false }
            for start in 0...(text.count - word.count) where text[start] == word[0] {
                guard (0..<word.count).allSatisfy({ text[start + $0] == word[$0] }) else { continue }
                let before = start > 0 ? text[start - 1] : 0x20
                let after = start + word.count < text.count ? text[start + word.count] : 0x20
                if !isIdentifier(before) && before != UInt8(ascii: ".") && !isIdentifier(after) { return true }
            }
            return false
        }
    }

    /// nil when the file compiles on its own.
    private static func testCompile(_ file: String, externals: [String]) throws -> CompileFailure? {
        let compiler = try makeCompiler(externals: externals)
        defer { yr_compiler_destroy(compiler.pointer) }
        return add(file, to: compiler)
    }

    private static func add(_ file: String, to compiler: CompilerBox, namespace: String? = nil) -> CompileFailure? {
        guard let handle = fopen(file, "rb") else {
            return CompileFailure(file: file, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        compiler.firstError = nil
        let errors = yr_compiler_add_file(compiler.pointer, handle, namespace, file)
        if errors == 0 { return nil }
        return compiler.firstError ?? CompileFailure(file: file, line: 0, message: "\(errors) compile error(s)")
    }

    private static func makeCompiler(externals: [String]) throws -> CompilerBox {
        var raw: UnsafeMutablePointer<YR_COMPILER>?
        let rc = yr_compiler_create(&raw)
        guard rc == ERROR_SUCCESS, let pointer = raw else { throw YaraError.library("yr_compiler_create", rc) }
        let box = CompilerBox(pointer)
        for name in externals {
            let drc = yr_compiler_define_string_variable(pointer, name, "")
            if drc != ERROR_SUCCESS {
                yr_compiler_destroy(pointer)
                throw YaraError.library("yr_compiler_define_string_variable(\(name))", drc)
            }
        }
        yr_compiler_set_callback(pointer, compilerCallback, Unmanaged.passUnretained(box).toOpaque())
        return box
    }
}

/// Holds a compiler and the first error its callback reported.
private final class CompilerBox {
    let pointer: UnsafeMutablePointer<YR_COMPILER>
    var firstError: CompileFailure?
    init(_ pointer: UnsafeMutablePointer<YR_COMPILER>) { self.pointer = pointer }
}

private let compilerCallback: YR_COMPILER_CALLBACK_FUNC = { level, fileName, line, _, message, userData in
    guard level == YARA_ERROR_LEVEL_ERROR, let userData else { return }
    let box = Unmanaged<CompilerBox>.fromOpaque(userData).takeUnretainedValue()
    if box.firstError != nil { return }
    box.firstError = CompileFailure(
        file: fileName.map { String(cString: $0) } ?? "?",
        line: Int(line),
        message: message.map { String(cString: $0) } ?? "unknown error")
}
