import TaskWardenCore

/// A dbmate migration file parsed by dbmate's rules (pkg/dbmate/migration.go).
///
/// `-- migrate:up` is required and comes first (only comments and blank lines before it);
/// `-- migrate:down` is optional. Each section runs in a transaction unless its marker says
/// `transaction:false`. dbmate sends a section to the driver whole; here it is cut into
/// statements the way the database's client would.
struct DbmateScript {
    var up: [String] = []
    var down: [String]?
    var runsInTransaction = true

    init(text: String, path: String, backend: DatabaseBackend) throws(MigrationFileError) {
        var sections: [(marker: DbmateMarker, lines: [Substring])] = []
        for line in Migration.normalize(text).split(separator: "\n", omittingEmptySubsequences: false) {
            if let marker = DbmateMarker(line: line) {
                sections.append((marker, []))
            } else if sections.isEmpty {
                let trimmed = line.drop { $0.isWhitespace }
                guard trimmed.isEmpty || trimmed.hasPrefix("--") else {
                    throw MigrationFileError(path: path, reason: "SQL before '-- migrate:up'; dbmate requires the up block first")
                }
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        guard sections.first?.marker.direction == "up" else { throw MigrationFileError(path: path, reason: "no '-- migrate:up' line") }
        guard sections.count == 1 || (sections.count == 2 && sections[1].marker.direction == "down") else {
            throw MigrationFileError(path: path, reason: "expected one '-- migrate:up' and at most one '-- migrate:down' after it")
        }
        for (marker, _) in sections {
            for (option, value) in marker.options {
                guard option == "transaction", ["true", "false"].contains(value.lowercased()) else {
                    throw MigrationFileError(
                        path: path, reason: "unknown dbmate option '\(option):\(value)' on '-- migrate:\(marker.direction)' (known: transaction:false)")
                }
            }
        }
        let splitter = SQLStatementSplitter(backend: backend)
        up = splitter.split(sections[0].lines.joined(separator: "\n"))
        down = sections.count == 2 ? splitter.split(sections[1].lines.joined(separator: "\n")) : nil
        // dbmate decides per section; TaskWarden runs a migration one way in both directions,
        // so the up marker's option decides (the one a deploy runs).
        runsInTransaction = sections[0].marker.options["transaction"]?.lowercased() != "false"
    }
}
