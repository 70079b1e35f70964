import Foundation
import PluginABI

/// Runs every accepting module on an object, feeds the children they emit through the same
/// path (within depth, count and size budgets), scores the findings and hands them to the reporter.
public final class Pipeline: @unchecked Sendable {
    public struct Budgets: Sendable {
        /// THOR's `--max-recursion-depth`.
        public var maxDepth = 4
        /// Children (events, members) one walked object may produce in total.
        public var maxChildren = 5_000_000
        /// Bytes of content its children may bring in total, nested ones included: what unpacking
        /// one walked file may cost, however its archives nest (each nested archive is a module
        /// call of its own, so a limit per call would multiply with every level).
        public var maxChildBytes = 1 << 30
        public init() {}
    }

    let modules: [LoadedModule]
    let reporter: Reporter
    let budgets: Budgets
    private let memberFiles: MemberFiles
    private let abortFlag = AbortFlag()
    /// Told which module runs now (nil: host code); a worker leaves it in shared memory, so the
    /// supervisor knows which module was running when the worker died.
    /// The second value is how many module calls are running, nested ones included.
    var onModuleChange: ((String?, Int) -> Void)?
    /// Modules running now, innermost last: a parser's children run other modules inside its call.
    private var running: [String] = []

    /// `fileTypes` give files that modules unpack their magic type, as walked files get theirs.
    public init(modules: [LoadedModule], reporter: Reporter, budgets: Budgets = Budgets(), fileTypes: FileTypeSignatures = .none) {
        self.modules = modules
        self.reporter = reporter
        self.budgets = budgets
        memberFiles = MemberFiles(fileTypes: fileTypes)
    }

    public var shouldAbort: Bool { abortFlag.isSet }
    public func abort() { abortFlag.set() }

    /// Whether any module would look at an item of this kind with these tags.
    func modulesAccepting(_ item: ScanItem) -> [LoadedModule] { modules.filter { $0.accepts(item) } }

    /// Scans one root object and reports it; returns its findings.
    @discardableResult
    public func process(_ item: ScanItem, excluding excluded: Set<String> = []) -> [FindingRecord] {
        var budget = ChildBudget(remaining: budgets.maxChildren, bytesRemaining: budgets.maxChildBytes)
        return process(item, budget: &budget, excluding: excluded)
    }

    private func process(_ item: ScanItem, budget: inout ChildBudget, excluding excluded: Set<String> = []) -> [FindingRecord] {
        var findings: [FindingRecord] = []
        var ran = Set(modules.filter { excluded.contains($0.name) }.map(ObjectIdentifier.init))
        // Most objects meet no module at all (a scan without modules, files no module accepts):
        // no C view for them.
        var again = modules.contains { !ran.contains(ObjectIdentifier($0)) && $0.accepts(item) }
        // A module may add type tags; then modules bound to those tags get their turn too. The C
        // view of the object is built once per pass, not once per module.
        while again {
            again = false
            ObjectBridge.withObject(item) { object in
                for module in modules where !ran.contains(ObjectIdentifier(module)) && module.accepts(item) {
                    if module.needsContent && item.content == nil && item.kind == THOR_OBJ_FILE { continue }
                    if module.needsHashes && item.deferredFields != nil {
                        // The C view holds the fields: rebuild it with the digests in.
                        item.completeDeferredFields()
                        again = true
                        return
                    }
                    ran.insert(ObjectIdentifier(module))
                    let context = CallContext(module: module.name, item: item, pipeline: self) { [reporter] level, message in
                        reporter.message(level, module: module.name, message, fields: [("FILE", item.path)])
                    }
                    context.budget = budget
                    let status = call(module, object, context)
                    budget = context.budget
                    findings += context.findings
                    reportStatus(status, module: module, item: item)
                    if context.tagsAdded {
                        again = true
                        return
                    }
                }
            }
        }
        // The log line of a finding carries the digests, whoever asked for them.
        if !findings.isEmpty { item.completeDeferredFields() }
        reporter.assess(item, findings: findings)
        return findings
    }

    private func call(_ module: LoadedModule, _ object: UnsafePointer<thor_object>, _ context: CallContext) -> thor_status {
        // Only workers track the running module, and they scan on one thread.
        guard onModuleChange != nil else { return context.withOpaque { module.scan(object, context: $0) } }
        running.append(module.name)
        onModuleChange?(module.name, running.count)
        defer {
            running.removeLast()
            onModuleChange?(running.last, running.count)
        }
        return context.withOpaque { module.scan(object, context: $0) }
    }

    func processChild(_ child: thor_object, of parent: ScanItem, from context: CallContext) -> thor_status {
        guard parent.depth + 1 <= budgets.maxDepth else { return refuse(context, "depth limit \(budgets.maxDepth) reached") }
        guard context.budget.remaining > 0 else { return refuse(context, "child object limit \(budgets.maxChildren) reached") }
        let size = child.content.map { Int(clamping: $0.pointee.size) } ?? 0
        guard size <= context.budget.bytesRemaining else {
            return refuse(context, "child content limit of \(budgets.maxChildBytes >> 20) MiB reached")
        }
        context.budget.remaining -= 1
        context.budget.bytesRemaining -= size
        var storage: [UInt8] = []
        let item = ObjectBridge.copyChild(child, parent: parent, storage: &storage)
        storage.withUnsafeBytes { bytes in
            if !storage.isEmpty {
                item.content = bytes
                memberFiles.complete(item, bytes: bytes)
            }
            var budget = context.budget
            _ = process(item, budget: &budget)
            context.budget = budget
            item.content = nil
            // The digests read the bytes, which end here.
            item.deferredFields = nil
        }
        return THOR_OK
    }

    private func refuse(_ context: CallContext, _ why: String) -> thor_status {
        if !context.childrenRefused, let item = context.item {
            context.childrenRefused = true
            reporter.message(.warning, module: context.module, "Child objects dropped: \(why)", fields: [("FILE", item.path)])
        }
        return THOR_E_LIMIT
    }

    private func reportStatus(_ status: thor_status, module: LoadedModule, item: ScanItem) {
        switch status {
        case THOR_OK, THOR_E_UNSUPPORTED, THOR_E_ABORTED:
            return
        case THOR_E_CORRUPT_INPUT, THOR_E_LIMIT:
            reporter.message(.info, module: module.name, "Module could not fully process object STATUS: \(StatusName.of(status))", fields: [("FILE", item.path)])
        default:
            reporter.error(module: module.name, "Module failed on object STATUS: \(StatusName.of(status))", fields: [("FILE", item.path)])
        }
    }
}

struct ChildBudget {
    var remaining: Int
    var bytesRemaining: Int
}

/// A flag set once from any thread (Ctrl-C, deadline) and polled by modules.
public final class AbortFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    public func set() { lock.lock(); value = true; lock.unlock() }
}
