/// What `migrate adopt` records from another tool's history, and what it leaves to `migrate`.
public struct AdoptionPlan: Sendable {
    /// The other tool's history as read.
    public let history: PreviousToolHistory
    /// Migrations the tool applied: recorded as applied, with their files' current checksums.
    public let adopted: [Migration]
    /// Migrations at or below Flyway's baseline version: recorded as baseline.
    public let baselined: [Migration]
    /// Repeatable migrations whose file changed since Flyway ran them (or that it never ran):
    /// left pending, so that `migrate` runs them, as Flyway would.
    public let rerun: [Migration]
    /// Versioned migrations the tool had not applied: left for `migrate`.
    public let pending: [Migration]
    /// Applied files whose Flyway checksum differs from the one Flyway recorded: they were
    /// edited after Flyway ran them (recorded all the same, with the current checksum).
    public let editedSinceApplied: [Migration]
}
