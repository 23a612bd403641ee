/// The exit codes of `taskwarden`, one per kind of outcome, documented in the README.
///
/// Scripts and deploy pipelines branch on these, so a code never changes meaning once released.
struct ExitStatus: Sendable, Hashable {
    let code: Int32

    /// Success.
    static let ok = ExitStatus(code: 0)
    /// A failure TaskWarden did not expect: a bug, or the environment (disk full, ...).
    static let internalError = ExitStatus(code: 1)
    /// Bad command line, malformed URL or configuration: nothing was done.
    static let usage = ExitStatus(code: 2)
    /// The database could not be reached, or refused the credentials.
    static let cannotConnect = ExitStatus(code: 3)
    /// The database reported an error while the command ran (a migration's SQL failed).
    static let databaseError = ExitStatus(code: 4)
    /// Validation failed: an applied migration was edited or is missing, or a file is invalid.
    static let validationFailed = ExitStatus(code: 5)
    /// A migration failed or was interrupted earlier: fix it, then `migrate repair`.
    static let dirty = ExitStatus(code: 6)
    /// Another process held the lock for longer than `--lock-timeout`.
    static let lockTimeout = ExitStatus(code: 7)
    /// `migrate status --exit-code`: migrations are pending.
    static let pending = ExitStatus(code: 8)
    /// `stuck --exit-code` found stuck runs; `doctor`'s worst check is a warning.
    static let attention = ExitStatus(code: 9)
    /// `doctor`: a check failed.
    static let unhealthy = ExitStatus(code: 10)
}
