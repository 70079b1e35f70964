import ArgumentParser

/// Declared for the parser and the help; TemplateArguments reads and applies them before parsing.
struct TemplateFlags: ParsableArguments {
    @Option(name: [.customShort("t"), .customLong("template")], help: ArgumentHelp(
        "YAML template of settings by long flag name (repeatable; a later one overrides an earlier one).",
        discussion: "config/thor.yml in the program folder is read first, then the templates, then the command line, which wins."))
    var template: [String] = []

    @Flag(name: .customLong("generate-config"), help: "Print the settings the templates and the command line give, as a template, and exit.")
    var generateConfig = false
}
