import ArgumentParser
import Host

/// The files a scan writes besides its logs: THOR's HTML report, the CSV of reported files, the
/// statistics line.
struct ReportFileFlags: ParsableArguments {
    @Option(name: .customLong("htmlfile"), help: ArgumentHelp("Name of the HTML report (default :hostname:_thor_:time:.html in the output folder).", valueName: "file"))
    var htmlFile: String?

    @Flag(name: .customLong("nohtml"), help: "Write no HTML report (--nolog writes none either).")
    var noHTML = false

    @Flag(name: .customLong("include-info-in-html"), help: "List Info lines in the HTML report too, not only Errors, Alerts, Warnings and Notices.")
    var includeInfo = false

    @Option(name: [.customShort("o"), .customLong("csvfile")],
            help: ArgumentHelp("CSV of reported files, md5,path,score per line, appended (default :hostname:_files_md5s.csv in the output folder; none with --nolog).", valueName: "file"))
    var csvFile: String?

    @Flag(name: .customLong("nocsv"), help: "Write no CSV of reported files.")
    var noCSV = false

    @Option(name: .customLong("stats-file"),
            help: ArgumentHelp("Append one line per scan: host,start,end,version,arguments,alerts,warnings,notices,errors.", valueName: "file"))
    var statsFile: String?

    func validate() throws {
        if noHTML && htmlFile != nil { throw ValidationError("--htmlfile and --nohtml exclude each other") }
        if noCSV && csvFile != nil { throw ValidationError("--csvfile and --nocsv exclude each other") }
        for (flag, name) in [("--htmlfile", htmlFile), ("--csvfile", csvFile), ("--stats-file", statsFile)] where name?.isEmpty == true {
            throw ValidationError("\(flag) needs a file name")
        }
    }

    /// After `OutputFlags.apply`: as THOR's, --nolog also means no HTML report (and no CSV unless named).
    func apply(to options: inout ScanOptions) {
        options.htmlFile = noHTML || !options.writeTextLog ? nil : htmlFile ?? ""
        options.includeInfoInHTML = includeInfo
        // --nolog writes nothing into the output folder unless a file is named.
        options.fileHashCSV = noCSV ? nil : csvFile ?? (options.writeTextLog ? "" : nil)
        options.statsFile = statsFile
    }
}
