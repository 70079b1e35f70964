/// The HTML of the report, in the pieces `HTMLReportSink` writes in order. Every value from the
/// scan (file names, messages, matched strings) is escaped: the scanned system chose them.
/// One self-contained page: its style and its row filter are inline, nothing is loaded.
enum HTMLReportPage {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func title(_ level: Level) -> String {
        switch level {
        case .error: "Errors"
        case .alert: "Alerts"
        case .warning: "Warnings"
        case .notice: "Notices"
        case .info: "Info"
        case .debug: "Debug"
        }
    }

    /// One event: time, module, message, and its keys as in the text log.
    static func row(_ event: LogEvent, context: LogContext) -> String {
        let formatter = TextLineFormatter(context: context)
        let module: String, message: String, pairs: [(String, String)]
        switch event {
        case .message(let m):
            (module, message, pairs) = (m.module, m.message, m.fields.map { ($0.key, $0.value) })
        case .finding(let f):
            module = f.module
            message = f.message
            pairs = f.subject.map { ($0.key, $0.value) } + [("SCORE", String(Int(f.score.rounded())))] + formatter.reasonKeys(f)
        }
        var details = ""
        for (key, value) in pairs {
            details += "<span class=\"k\">\(escape(key)):</span> \(escape(formatter.clean(value))) "
        }
        return "<tr class=\"event\"><td class=\"t\">\(escape(context.timeStyle.lineTimestamp(event.time)))</td>"
            + "<td>\(escape(module))</td><td>\(escape(formatter.clean(message)))</td><td class=\"d\">\(details)</td></tr>\n"
    }

    /// The page up to the sections: scan information, the scan's counts (as its summary line
    /// gives them: assessed objects per level, and errors), and the lines per module and level.
    static func head(_ information: ScanInformation, counts: Reporter.Counts, perModule: [String: [Level: Int]], levels: [Level]) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>THOR Scan Report: \(escape(information.hostname))</title>
        <style>
        body { font-family: sans-serif; font-size: 13px; margin: 1.5em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; }
        td.t { white-space: nowrap; } td.d { word-break: break-all; } span.k { font-weight: bold; }
        h2.error { color: #7a1fa2; } h2.alert { color: #c62828; } h2.warning { color: #e65100; } h2.notice { color: #00838f; }
        #filter { width: 30em; margin-bottom: 1em; }
        </style></head><body>
        <h1>THOR Scan Report</h1>
        <h2>Scan Information</h2>
        <table class="info">

        """
        for (name, value) in information.rows { html += "<tr><th>\(escape(name))</th><td>\(escape(value))</td></tr>\n" }
        html += "</table>\n<h2>Statistics</h2>\n<table class=\"statistics\"><tr><th>Alerts</th><th>Warnings</th><th>Notices</th><th>Errors</th></tr>\n"
        html += "<tr><td id=\"alerts\">\(counts.alerts)</td><td id=\"warnings\">\(counts.warnings)</td>"
            + "<td id=\"notices\">\(counts.notices)</td><td id=\"errors\">\(counts.errors)</td></tr></table>\n"
        html += "<h2>Lines per Module</h2>\n<table class=\"modules\"><tr><th>Module</th>"
        for level in levels { html += "<th>\(title(level))</th>" }
        html += "</tr>\n"
        for module in perModule.keys.sorted() {
            html += "<tr><td>\(escape(module))</td>"
            for level in levels { html += "<td>\(perModule[module]?[level] ?? 0)</td>" }
            html += "</tr>\n"
        }
        html += "</table>\n<input id=\"filter\" type=\"search\" placeholder=\"Show only rows containing...\">\n"
        return html
    }

    static func sectionStart(_ level: Level, rows: Int) -> String {
        let name = level.rawValue.lowercased()
        return "<h2 class=\"\(name)\" id=\"section-\(name)\">\(title(level)) (\(rows))</h2>\n"
            + "<table class=\"section\"><tr><th>Time</th><th>Module</th><th>Message</th><th>Details</th></tr>\n"
    }

    static let sectionEnd = "</table>\n"

    static let tail = """
    <script>
    document.getElementById("filter").addEventListener("input", function (e) {
      var q = e.target.value.toLowerCase();
      document.querySelectorAll("tr.event").forEach(function (r) {
        r.style.display = r.textContent.toLowerCase().indexOf(q) < 0 ? "none" : "";
      });
    });
    </script>
    </body></html>

    """
}
