import Foundation
import XCTest

/// Plugin modules built from C with the system's `cc` and only the ABI header: the fault module
/// fixture, the C example module, and modules the tests write themselves.
public enum CModule {
    public static let faultModuleSource = BuildProducts.packageRoot + "/Tests/Fixtures/FaultModule/fault_module.c"
    public static let exampleModuleSource = BuildProducts.packageRoot + "/examples/c-module/strings_module.c"

    static let compiler = "/usr/bin/cc"
    public static let abiInclude = BuildProducts.packageRoot + "/Sources/PluginABI/include"

    /// Why a module did not compile: a test failure that shows the compiler's messages.
    public struct CompileError: Error, CustomStringConvertible {
        public let source: String
        public let stderr: String
        public var description: String { "cc could not compile \(source):\n\(stderr)" }
    }

    /// Compiles the C file `source` into `directory/lib<name>.so` (mode 0755, so a scan run as another
    /// user loads it) and returns its path. No cc skips the test; a compile error throws `CompileError`.
    /// -O0: the fault module's endless allocation must not be optimised away.
    @discardableResult
    public static func build(_ source: String, named name: String, into directory: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: compiler) else {
            throw XCTSkip("\(compiler) not found: the tests that build C modules need a C compiler (scripts/install-deps.sh installs gcc)")
        }
        let library = directory + "/lib" + name + ".so"
        let run = try ChildProcess.run(compiler, ["-shared", "-fPIC", "-O0", "-I", abiInclude, "-o", library, source])
        guard run.status == 0 else { throw CompileError(source: source, stderr: run.stderr) }
        chmod(library, 0o755)
        return library
    }

    /// Compiles C source text the same way (the source file is written beside the library and removed).
    @discardableResult
    public static func build(text: String, named name: String, into directory: String) throws -> String {
        let source = directory + "/" + name + ".c"
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: source) }
        return try build(source, named: name, into: directory)
    }
}
