import TaskWardenCore

/// How the migration files of a set compare with the history table.
public struct MigrationStatusReport: Sendable {
    /// The status of one version.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Applied, and the file is unchanged.
        case applied
        /// Adopted by `migrate baseline`.
        case baseline
        /// In the files, not yet applied.
        case pending
        /// Applied, but the file's checksum differs from the one recorded: drift.
        case changed
        /// Applied, but no file has this version although later versions exist: drift.
        case missing
        /// Applied by a newer TaskWarden (or a newer checkout): beyond this binary's files.
        case newer
        /// Failed: `migrate` refuses to continue until `migrate repair`.
        case failed
        /// Started outside a transaction and not finished (running now, or interrupted).
        case inProgress = "in_progress"
    }

    /// One version's line.
    public struct Entry: Sendable, Hashable {
        public let version: Int64
        public let name: String
        public let status: Status
        /// What the history says, if anything.
        public let record: MigrationRecord?
        /// The file, if this binary or directory has one.
        public let migration: Migration?
    }

    public let setName: String
    public let entries: [Entry]
    /// `false` when the history table does not exist yet (a database never migrated).
    public let historyExists: Bool

    init(set: MigrationSet, records: [MigrationRecord]?) {
        setName = set.name
        historyExists = records != nil
        let recordByVersion = Dictionary((records ?? []).map { ($0.version, $0) }, uniquingKeysWith: { $1 })
        var entries: [Entry] = []
        // Versioned migrations in version order, then repeatable ones (negative versions) by name.
        let repeatable = Set(set.migrations.filter { $0.kind == .repeatable }.map(\.version))
        func order(_ version: Int64) -> (Int, String, Int64) {
            guard version < 0 else { return (0, "", version) }
            return (1, set.migration(version: version)?.name ?? recordByVersion[version]?.name ?? "", version)
        }
        let versions = Set(set.migrations.map(\.version)).union(recordByVersion.keys).sorted { order($0) < order($1) }
        for version in versions {
            let migration = set.migration(version: version)
            let record = recordByVersion[version]
            let status: Status
            switch (migration, record) {
            case (_, let record?) where record.state == .failed: status = .failed
            case (_, let record?) where record.state == .inProgress: status = .inProgress
            case (let migration?, let record?) where repeatable.contains(version) && migration.checksum != record.checksum:
                status = .pending  // a repeatable migration runs again when its file changed
            case (let migration?, let record?):
                status = migration.checksum != record.checksum ? .changed : (record.state == .baseline ? .baseline : .applied)
            case (nil, _?): status = version > set.latestVersion ? .newer : .missing
            case (_?, nil): status = .pending
            case (nil, nil): continue
            }
            entries.append(
                Entry(
                    version: version, name: migration?.name ?? record?.name ?? "", status: status, record: record,
                    migration: migration))
        }
        self.entries = entries
    }

    public func entries(_ statuses: Status...) -> [Entry] {
        entries.filter { statuses.contains($0.status) }
    }

    public var pending: [Entry] { entries(.pending) }
    /// Applied migrations whose files changed or vanished.
    public var drift: [Entry] { entries(.changed, .missing) }
    /// Failed or unfinished migrations.
    public var dirty: [Entry] { entries(.failed, .inProgress) }
    public var newer: [Entry] { entries(.newer) }

    /// The highest applied (or baselined) version, or 0.
    public var currentVersion: Int64 {
        entries.filter { $0.version > 0 && $0.record?.state.countsAsApplied == true }.map(\.version).max() ?? 0
    }

    /// Nothing pending, nothing failed or unfinished, no drift.
    public var isUpToDate: Bool { pending.isEmpty && dirty.isEmpty && drift.isEmpty }
}
