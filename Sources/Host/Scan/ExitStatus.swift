/// The exit codes of `thor`, documented in the README.
public enum ExitStatus: Int32, Sendable {
    /// Scan finished, nothing at Notice or above, no errors.
    case clean = 0
    /// Scan finished with at least one Notice, Warning or Alert and no errors.
    case findings = 1
    /// Scan finished, but errors occurred (unreadable files, failing modules), or it was stopped early.
    case errors = 2
    /// The scan could not start (bad configuration, unreadable plugin folder, ...).
    case fatal = 3
    // A bad command line exits with 64 (EX_USAGE), returned by swift-argument-parser itself.
}
