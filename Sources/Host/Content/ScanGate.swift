/// THOR's default content-scan gate (thor-spec 4.3): a file's content is scanned when its magic
/// header has a known type or its extension is on this list; `--intense` and `--allfiles` scan all.
public enum ScanGate {
    public static let extensions: Set<String> = [
        ".asp", ".vbs", ".ps", ".ps1", ".rar", ".tmp", ".bas", ".bat", ".chm", ".cmd", ".com", ".cpl",
        ".crt", ".dll", ".exe", ".hta", ".js", ".lnk", ".msc", ".ocx", ".pcd", ".pif", ".pot", ".pdf",
        ".reg", ".scr", ".sct", ".sys", ".url", ".vb", ".vbe", ".wsc", ".wsf", ".wsh", ".ct", ".t",
        ".input", ".war", ".jsp", ".php", ".aspx", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
        ".log", ".dump", ".pwd", ".w", ".txt", ".conf", ".cfg", ".config", ".psd1", ".psm1", ".ps1xml",
        ".clixml", ".psc1", ".pssc", ".pl", ".www", ".rdp", ".jar", ".docm", ".ace", ".job", ".temp",
        ".plg", ".asm",
    ]

    public static func passes(extension ext: String, magicType: String?) -> Bool {
        magicType != nil || extensions.contains(ext)
    }
}
