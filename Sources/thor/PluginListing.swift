import Host

/// The table `--list-plugins` prints.
enum PluginListing {
    static func render(_ candidates: [PluginCandidate]) -> String {
        guard !candidates.isEmpty else { return "No module libraries found." }
        var lines = ["NAME            VERSION   ABI   STATE          PATH"]
        for c in candidates {
            let state: String
            switch c.state {
            case .loaded: state = "loaded"
            case .notSelected: state = "not selected"
            case .refused(let why): state = "refused: \(why)"
            }
            let name = c.name.isEmpty ? "-" : c.name
            lines.append("\(pad(name, 15)) \(pad(c.version.isEmpty ? "-" : c.version, 9)) \(pad(c.abi.isEmpty ? "-" : c.abi, 5)) \(pad(state, 14)) \(c.path)")
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
