import TaskWardenCore
import TaskWardenSchema

/// A proposed `taskwarden.yaml` for an inspected table, with a comment on every line that
/// needs a person: what `map` could not decide, and the indexes the commands want.
///
/// It never guesses where a wrong guess would change data: which value means cancelled, and
/// whether times without a zone are UTC or local, are left as questions (a missing cancelled
/// is proposed as `missing_statuses`, which only makes commands refuse).
public struct MappingProposal: Sendable {
    /// The configuration text, valid YAML that `TaskWardenConfiguration.parse` reads.
    public let text: String
    /// What a person must decide, one line each (also in the text, as `# decide:` comments).
    public let questions: [String]

    public init(_ inspection: TableInspection, now: Timestamp) {
        let roles = RoleGuess(columns: inspection.columns.map(\.name))
        let types = Dictionary(inspection.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        var lines = [
            "# Proposed by 'taskwarden map' for \(inspection.table) (\(inspection.backend)) at \(now).",
            "# Check every line; lines marked 'decide' are questions map could not answer.",
            "table:",
            "  name: \(inspection.table)",
            "  columns:",
        ]
        var questions: [String] = []
        for (role, _) in RoleGuess.candidates {
            guard let column = roles.columns[role] else { continue }
            lines.append("    \(role.rawValue): \(column)\(types[column].map { "  # \(Self.comment($0))" } ?? "")")
        }
        for role in TaskTable.Column.required where roles.columns[role] == nil {
            let question = "no column looks like '\(role.rawValue)': map it under columns"
            questions.append(question)
            lines.append("    # decide: \(question)")
        }

        // Statuses: the words map recognises, grouped; the others asked about.
        var byStatus: [TaskStatus: [(String, Int)]] = [:]
        var unknown: [(String, Int)] = []
        for (value, count) in inspection.statusValues {
            if let status = RoleGuess.status(of: value) { byStatus[status, default: []].append((value, count)) } else { unknown.append((value, count)) }
        }
        lines.append("  statuses:")
        for status in TaskStatus.allCases {
            guard let values = byStatus[status] else { continue }
            let counts = values.map { "\(Self.comment($0.0)): \($0.1)" }.joined(separator: ", ")
            lines.append("    \(status.rawValue): [\(values.map { Self.quoted($0.0) }.joined(separator: ", "))]  # runs: \(counts)")
        }
        for (value, count) in unknown {
            let question = "value \(Self.comment(Self.quoted(value))) (\(count) runs) is no status map knows: add it under statuses, or such runs are never touched"
            questions.append(question)
            lines.append("    # decide: \(question)")
        }
        let missing = [TaskStatus.queued, .failed, .cancelled].filter { byStatus[$0] == nil }
        if !missing.isEmpty && !inspection.statusValues.isEmpty {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            let question = "no value looks like \(names): if the application has one, map it under statuses and drop it here"
            questions.append(question)
            lines.append("  missing_statuses: [\(names)]  # decide: \(question)")
        }

        // Times: their format (SQLite text or numbers) and, without a zone, which zone.
        let timeColumns = TaskTable.Column.allCases.filter(\.holdsTime).compactMap { roles.columns[$0] }
        let samples = timeColumns.flatMap { inspection.timeSamples[$0] ?? [] }
        let format = Self.format(of: samples)
        if format != .native { lines.append("  time_format: \(format.rawValue)  # from the values' shape") }
        let naive = timeColumns.filter { Self.storesWallClock(types[$0] ?? "", backend: inspection.backend, format: format) }
        if !naive.isEmpty {
            let latest = samples.compactMap { format.decode($0) }.max()
            var question = "\(naive.joined(separator: ", ")) keep no zone: if the application writes local times (datetime.now()), set time_zone to its zone"
            if let latest, latest > now.adding(seconds: 300) {
                let hours = Double(latest.microsecondsSinceEpoch - now.microsecondsSinceEpoch) / 3_600_000_000
                question += String(format: "; the newest value is %.1f h ahead of the database's UTC clock, so they are probably local", hours)
            }
            questions.append(question)
            lines.append("  # decide: \(question)")
            lines.append("  # time_zone: Europe/Berlin")
        }
        lines.append("stuck:")
        lines.append("  older_than: 30m  # how long a run may stay silent before it counts as stuck")

        // Indexes the stuck query, the purge walk and list need.
        let needed = IndexAdvice.needed(
            status: roles.columns[.status], lastSignOfLife: roles.columns[.heartbeatAt] ?? roles.columns[.startedAt],
            finished: roles.columns[.finishedAt], id: roles.columns[.id])
        for advice in IndexAdvice.missing(needed, indexes: inspection.indexes, backend: inspection.backend) {
            lines.append("# index: \(advice.purpose) reads (\(advice.columns.joined(separator: ", "))) and no index starts with them; create one:")
            if let statement = try? advice.statement(on: inspection.table, dialect: inspection.dialect) { lines.append("#   \(statement)") }
        }
        text = lines.joined(separator: "\n") + "\n"
        self.questions = questions
    }

    /// The format the samples have: text with a space or a `T`, Unix seconds or milliseconds.
    static func format(of samples: [DatabaseValue]) -> TimeFormat {
        for format in [TimeFormat.iso8601, .text, .unixMilliseconds, .unixSeconds] where !samples.isEmpty {
            let fits: Bool = samples.allSatisfy { value in
                switch (format, value) {
                case (.unixMilliseconds, .integer(let n)): n > 100_000_000_000
                case (.unixSeconds, .integer(let n)): n <= 100_000_000_000
                case (.unixMilliseconds, _), (.unixSeconds, _): false
                default: format.matchesShape(of: value)
                }
            }
            if fits { return format == .text ? .native : format }
        }
        return .native
    }

    /// Whether a column of this declared type keeps wall-clock times without a zone: not
    /// counts, and not a type that keeps its own zone.
    static func storesWallClock(_ type: String, backend: DatabaseBackend, format: TimeFormat) -> Bool {
        TimeCoding(format: format).storesWallClock && !DeclaredColumns.keepsZone(type, backend: backend)
    }

    /// A YAML flow scalar for a status value: plain where YAML reads it back as the same text,
    /// else double-quoted with every character outside printable ASCII escaped, so no stored
    /// value can add a line to the configuration.
    package static func quoted(_ value: String) -> String {
        let plain = value.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" }
            && !value.isEmpty && !["yes", "no", "true", "false", "null", "on", "off", "y", "n"].contains(value.lowercased())
            && !(value.first?.isNumber ?? false) && value.first != "-"
        guard !plain else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case " "..."~": quoted.unicodeScalars.append(scalar)
            default:
                // YAML folds NEL and the Unicode line separators inside quotes, and refuses
                // C0/C1 controls and DEL: every other character is written as an escape.
                let hex = String(scalar.value, radix: 16, uppercase: true)
                quoted += scalar.value <= 0xFFFF ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return quoted + "\""
    }

    /// Catalogue or table text for a comment: one line, control characters as spaces.
    static func comment(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .lineSeparator
            || $0.properties.generalCategory == .paragraphSeparator ? " " : Character($0) }.prefix(80))
    }
}
