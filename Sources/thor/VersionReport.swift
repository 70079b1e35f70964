import Host

/// What `--version` prints, in THOR's order: the host, the libraries and signature sets the
/// modules reported, OpenSSL, and the modules that loaded.
enum VersionReport {
    /// The names THOR prints for the components modules report; others print as reported.
    private static let titles = ["yara": "YARA", "signatures": "Signature Database", "sigma": "Sigma Database"]
    private static let order = ["yara", "signatures", "sigma"]

    static func render(host: String, openSSL: String, versions: ComponentVersions, modules: [PluginCandidate]) -> String {
        var lines = ["THOR (open) scanner", "Version \(host)"]
        let known = order.filter { versions[$0] != nil }
        let others = versions.pairs.map(\.key).filter { !order.contains($0) }
        for component in known + others {
            lines.append("\(titles[component] ?? component) \(versions[component] ?? "")")
        }
        lines.append(openSSL)
        let loaded = modules.filter { if case .loaded = $0.state { return true } else { return false } }
        lines.append("Modules " + (loaded.isEmpty ? "none" : loaded.map { "\($0.name) \($0.version)" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
