import ArgumentParser
import Host

/// THOR's HTML report, written at the end of a file scan.
struct HTMLReportFlags: ParsableArguments {
    @Option(name: .customLong("htmlfile"), help: ArgumentHelp("Name of the HTML report (default :hostname:_thor_:time:.html in the output folder).", valueName: "file"))
    var htmlFile: String?

    @Flag(name: .customLong("nohtml"), help: "Write no HTML report (--nolog writes none either).")
    var noHTML = false

    @Flag(name: .customLong("include-info-in-html"), help: "List Info lines in the HTML report too, not only Errors, Alerts, Warnings and Notices.")
    var includeInfo = false

    func validate() throws {
        if noHTML && htmlFile != nil { throw ValidationError("--htmlfile and --nohtml exclude each other") }
        if htmlFile?.isEmpty == true { throw ValidationError("--htmlfile needs a file name") }
    }

    /// After `OutputFlags.apply`: as THOR's, --nolog also means no HTML report.
    func apply(to options: inout ScanOptions) {
        options.htmlFile = noHTML || !options.writeTextLog ? nil : htmlFile ?? ""
        options.includeInfoInHTML = includeInfo
    }
}
