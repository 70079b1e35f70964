/// The versions of the libraries and signature sets that the modules' results depend on
/// ("yara" -> "4.2.3", "signatures" -> "2026/11/29-101500"), as the modules reported them during
/// init (thor_host_api.report_version).
///
/// Of several versions of one component the newest is kept: when two modules read one signature
/// set, its version is that of its newest file. Dotted numbers compare as versions ("4.10.0" is
/// newer than "4.9.3"); anything else as text, which THOR's fixed-width dates sort right in.
public struct ComponentVersions: Sendable, Equatable {
    public private(set) var byComponent: [String: String] = [:]

    public init() {}

    public subscript(component: String) -> String? { byComponent[component] }

    public mutating func add(_ component: String, _ version: String) {
        if let known = byComponent[component], !Self.isNewer(version, than: known) { return }
        byComponent[component] = version
    }

    static func isNewer(_ a: String, than b: String) -> Bool {
        func dotted(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0 == "." || ("0"..."9").contains($0) } }
        if dotted(a) && dotted(b) { return SemanticVersion(b) < SemanticVersion(a) }
        return a > b
    }

    public mutating func merge(_ other: ComponentVersions) {
        for (component, version) in other.byComponent { add(component, version) }
    }

    /// Sorted by component: the log line and the wire frame.
    public var pairs: [(key: String, value: String)] {
        byComponent.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    init(pairs: [(key: String, value: String)]) {
        for (component, version) in pairs { add(component, version) }
    }
}
