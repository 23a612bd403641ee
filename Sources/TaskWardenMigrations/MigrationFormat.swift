/// A migration tool whose folder layout and file syntax TaskWarden reads as they are.
///
/// Teams adopting TaskWarden keep the folders their previous tool wrote; each format follows
/// that tool's documented rules for naming, ordering, transactions and statement splitting
/// (see `docs/migrations.md`, "Coming from golang-migrate / goose / Flyway / dbmate").
public enum MigrationFormat: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// `NNNN_name.sql` with `-- taskwarden:up` / `-- taskwarden:down` sections.
    case taskwarden
    /// golang-migrate: `NNN_name.up.sql` / `NNN_name.down.sql` pairs, one file per direction.
    case golangMigrate = "golang-migrate"
    /// pressly/goose SQL files: `NNN_name.sql` with `-- +goose Up` / `-- +goose Down`.
    case goose
    /// Flyway SQL: `V<version>__<desc>.sql`, undo `U<version>__<desc>.sql`, repeatable `R__<desc>.sql`.
    case flyway
    /// dbmate: `NNN_name.sql` with `-- migrate:up` / `-- migrate:down`.
    case dbmate

    public var description: String { rawValue }

    /// How a file of this format looks, for error messages that list the formats tried.
    public var shape: String {
        switch self {
        case .taskwarden: "taskwarden (NNNN_name.sql with '-- taskwarden:up')"
        case .golangMigrate: "golang-migrate (NNN_name.up.sql / NNN_name.down.sql)"
        case .goose: "goose (NNN_name.sql with '-- +goose Up')"
        case .flyway: "flyway (V<version>__desc.sql, U<version>__desc.sql, R__desc.sql)"
        case .dbmate: "dbmate (NNN_name.sql with '-- migrate:up')"
        }
    }

    /// Every format's shape, for "matches none of ..." messages.
    static var allShapes: String { allCases.map(\.shape).joined(separator: "; ") }
}
