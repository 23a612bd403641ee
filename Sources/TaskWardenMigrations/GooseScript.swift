import TaskWardenCore

/// A goose SQL migration file parsed by goose's rules (`internal/sqlparser/parser.go`).
///
/// - Everything before `-- +goose Up` is a header; `-- +goose Down` is optional and comes after.
/// - A statement ends at a line whose last word before any `--` comment ends with `;`.
/// - `-- +goose StatementBegin` ... `-- +goose StatementEnd` is one statement whatever `;` it
///   holds (PL/pgSQL bodies, triggers).
/// - `-- +goose NO TRANSACTION` runs both directions outside a transaction.
/// - A statement left without its `;` at the end of a section is an error, as in goose.
///
/// Each chunk goose would send to the driver whole (a statement, or a block) is then cut the
/// way the database's client would, since TaskWarden's drivers run one statement per call:
/// a block holding one routine or trigger stays one statement (dollar quotes and `BEGIN ...
/// END` bodies keep their `;`), and a block holding several runs them one by one, as the
/// server did for goose. PostgreSQL's `BEGIN ATOMIC` bodies are the exception: write them
/// dollar-quoted.
struct GooseScript {
    var up: [String] = []
    var down: [String]?
    var runsInTransaction = true

    init(text: String, path: String, backend: DatabaseBackend) throws(MigrationFileError) {
        let splitter = SQLStatementSplitter(backend: backend)
        var section: GolangMigrateFileName.Direction?
        var buffer: [Substring] = []
        var inBlock = false
        var statements: [String] = []

        func finishSection() throws(MigrationFileError) {
            if inBlock {
                throw MigrationFileError(path: path, reason: "'-- +goose StatementBegin' without '-- +goose StatementEnd'")
            }
            if Self.hasCode(buffer) {
                throw MigrationFileError(
                    path: path, reason: "unfinished statement at the end of the \(section?.rawValue ?? "up") section (missing ';'?): \(buffer.joined(separator: " ").prefix(60))")
            }
            buffer = []
            switch section {
            case .up: up = statements
            case .down: down = statements
            case nil: break
            }
            statements = []
        }

        for line in Migration.normalize(text).split(separator: "\n", omittingEmptySubsequences: false) {
            if let annotation = GooseAnnotation(line: line) {
                switch annotation.command {
                case "up":
                    guard section == nil else { throw MigrationFileError(path: path, reason: "more than one '-- +goose Up'") }
                    section = .up
                case "down":
                    guard section == .up else { throw MigrationFileError(path: path, reason: "'-- +goose Down' must come once, after '-- +goose Up'") }
                    try finishSection()
                    section = .down
                case "statementbegin":
                    guard section != nil, !inBlock, !Self.hasCode(buffer) else {
                        throw MigrationFileError(path: path, reason: "'-- +goose StatementBegin' outside a section, nested, or after an unfinished statement")
                    }
                    inBlock = true
                    buffer = []
                case "statementend":
                    guard inBlock else { throw MigrationFileError(path: path, reason: "'-- +goose StatementEnd' without '-- +goose StatementBegin'") }
                    inBlock = false
                    statements += splitter.split(buffer.joined(separator: "\n"))
                    buffer = []
                case "no transaction":
                    runsInTransaction = false
                default:
                    // ENVSUB would substitute environment variables into the SQL; running the
                    // file without it would run different SQL than goose does.
                    throw MigrationFileError(
                        path: path, reason: "unsupported goose annotation '\(line)' (read: Up, Down, StatementBegin, StatementEnd, NO TRANSACTION)")
                }
                continue
            }
            guard section != nil else { continue }  // the header
            buffer.append(line)
            if !inBlock && Self.endsStatement(line) {
                statements += splitter.split(buffer.joined(separator: "\n"))
                buffer = []
            }
        }
        guard section != nil else { throw MigrationFileError(path: path, reason: "no '-- +goose Up' line") }
        try finishSection()
    }

    /// goose's `endsWithSemicolon`: the last word before a `--` comment ends with `;`.
    static func endsStatement(_ line: Substring) -> Bool {
        var last: Substring?
        for word in line.split(whereSeparator: { $0.isWhitespace }) {
            if word.hasPrefix("--") { break }
            last = word
        }
        return last?.hasSuffix(";") == true
    }

    /// Whether `lines` hold anything but blank lines and `--` comments.
    private static func hasCode(_ lines: [Substring]) -> Bool {
        lines.contains { line in
            let trimmed = line.drop { $0.isWhitespace }
            return !trimmed.isEmpty && !trimmed.hasPrefix("--")
        }
    }
}
