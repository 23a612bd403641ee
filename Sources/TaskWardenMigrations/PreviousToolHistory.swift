import TaskWardenCore
import TaskWardenSQL

/// What another migration tool's history table says it applied, read by `migrate adopt`.
///
/// Each tool keeps a different table: golang-migrate one row (the version it is at, and a
/// dirty flag), goose and dbmate a row per applied version, Flyway a row per script run
/// (versioned, repeatable, undo, baseline) with its success.
public struct PreviousToolHistory: Sendable, Hashable {
    /// A repeatable migration Flyway ran, with the checksum of the file it ran then.
    public struct Repeatable: Sendable, Hashable {
        public let description: String
        public let checksum: Int32?
    }

    public let tool: MigrationFormat
    /// The table read (`schema_migrations`, `goose_db_version`, `flyway_schema_history`).
    public let table: String
    /// The versions the tool applied, ascending; each must have its file in the folder.
    public let versions: [Int64]
    /// golang-migrate: every version up to this one is applied (it records only the last).
    public let appliedThrough: Int64?
    /// Flyway: `flyway baseline` recorded the schema as being at this version.
    public let baselineVersion: Int64?
    /// Flyway: the repeatable migrations whose last run succeeded.
    public let repeatables: [Repeatable]
    /// Why the tool's history says the schema is not in a known state (golang-migrate's dirty
    /// flag, a failed Flyway migration), or `nil`.
    public let failure: String?
    /// Flyway: the CRC-32 it recorded for each applied version, to warn about edited files.
    public let checksums: [Int64: Int32]

    /// The table `tool` keeps its history in.
    public static func table(of tool: MigrationFormat) -> String {
        switch tool {
        case .golangMigrate, .dbmate: "schema_migrations"
        case .taskwarden: "taskwarden_schema_migrations"
        case .goose: "goose_db_version"
        case .flyway: "flyway_schema_history"
        }
    }

    /// Reads `tool`'s history table.
    ///
    /// - Throws: ``MigrationError`` `.invalidRequest` when the table does not exist or holds a
    ///   version that is not a whole number; database errors otherwise.
    static func read(_ tool: MigrationFormat, connection: any DatabaseConnection) throws -> PreviousToolHistory {
        let table = table(of: tool)
        do {
            switch tool {
            case .golangMigrate: return try golangMigrate(connection)
            case .goose: return try goose(connection)
            case .flyway: return try flyway(connection)
            case .dbmate: return try dbmate(connection)
            case .taskwarden: throw MigrationError(.invalidRequest, "TaskWarden's own history needs no adopting")
            }
        } catch let error as DatabaseError where error.isUndefinedTable {
            throw MigrationError(.invalidRequest, "no \(table) table in this database: \(tool.rawValue) has not migrated it (or keeps its history under another name)")
        }
    }

    private static func golangMigrate(_ connection: any DatabaseConnection) throws -> PreviousToolHistory {
        let rows = try connection.query(SQL.Adopt.GolangMigrate())
        guard let row = rows.first else { return .init(.golangMigrate, versions: []) }
        let version = try row.decode(Int64.self, .version)
        let dirty = try row.decode(Int64.self, .dirty) != 0
        let failure = dirty ? "schema_migrations says version \(version) is dirty: its migration failed half-way" : nil
        // -1 is golang-migrate's "no version" (NilVersion), left dirty by a failed first down.
        guard version > 0 else { return .init(.golangMigrate, versions: [], failure: failure) }
        return .init(.golangMigrate, versions: [version], appliedThrough: version, failure: failure)
    }

    private static func goose(_ connection: any DatabaseConnection) throws -> PreviousToolHistory {
        var applied = Set<Int64>()
        for row in try connection.query(SQL.Adopt.Goose()) {
            let version = try row.decode(Int64.self, .versionId)
            guard version > 0 else { continue }  // goose's own first row
            if try row.decode(Int64.self, .isApplied) != 0 { applied.insert(version) } else { applied.remove(version) }
        }
        return .init(.goose, versions: applied.sorted())
    }

    private static func dbmate(_ connection: any DatabaseConnection) throws -> PreviousToolHistory {
        let versions = try connection.query(SQL.Adopt.Dbmate()).map { row in
            let text = try row.decode(String.self, .version)
            guard let version = Int64(text), version > 0 else {
                throw MigrationError(.invalidRequest, "schema_migrations holds version '\(text)', not a whole number")
            }
            return version
        }
        return .init(.dbmate, versions: versions.sorted())
    }

    private static func flyway(_ connection: any DatabaseConnection) throws -> PreviousToolHistory {
        var applied: [Int64: Int32] = [:]
        var repeatables: [String: Repeatable] = [:]
        var baseline: Int64?
        var failure: String?
        for row in try connection.query(SQL.Adopt.Flyway()) {
            let type = try row.decode(String.self, .type)
            let versionText = try row.decode(String?.self, .version)
            let description = try row.decode(String.self, .description)
            let script = try row.decode(String.self, .script)
            guard try row.decode(Int64.self, .success) != 0 else {
                failure = "flyway_schema_history records \(script) as failed"
                continue
            }
            if type == "SCHEMA" || type == "DELETE" { continue }
            guard let versionText else {
                repeatables[description] = Repeatable(description: description, checksum: try row.decode(Int32?.self, .checksum))
                continue
            }
            guard let version = Int64(versionText), version > 0 else {
                throw MigrationError(
                    .invalidRequest, "flyway_schema_history holds version '\(versionText)', which has parts; TaskWarden's versions are whole numbers")
            }
            switch type {
            case "BASELINE": baseline = version
            case "UNDO_SQL": applied[version] = nil
            default: applied[version] = try row.decode(Int32?.self, .checksum) ?? 0
            }
        }
        return .init(
            .flyway, versions: applied.keys.sorted(), baselineVersion: baseline,
            repeatables: repeatables.values.sorted { $0.description < $1.description }, failure: failure, checksums: applied)
    }

    private init(
        _ tool: MigrationFormat, versions: [Int64], appliedThrough: Int64? = nil, baselineVersion: Int64? = nil,
        repeatables: [Repeatable] = [], failure: String? = nil, checksums: [Int64: Int32] = [:]
    ) {
        self.tool = tool
        table = Self.table(of: tool)
        self.versions = versions
        self.appliedThrough = appliedThrough
        self.baselineVersion = baselineVersion
        self.repeatables = repeatables
        self.failure = failure
        self.checksums = checksums
    }
}
