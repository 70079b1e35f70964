/// The versions of the libraries and signature sets that the modules' results depend on
/// ("yara" -> "4.2.3", "signatures" -> "2026/11/29-101500"), as the modules reported them during
/// init (thor_host_api.report_version).
///
/// Of several versions of one component the greatest is kept: when two modules read one signature
/// set, its version is that of its newest file (the dates sort as text).
public struct ComponentVersions: Sendable, Equatable {
    public private(set) var byComponent: [String: String] = [:]

    public init() {}

    public subscript(component: String) -> String? { byComponent[component] }

    public mutating func add(_ component: String, _ version: String) {
        if let known = byComponent[component], known >= version { return }
        byComponent[component] = version
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
