import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// Partitions dropped whole: for a table partitioned by a range of time, the partitions whose
/// rows are all past retention go in one statement each, before the walks delete the rest
/// (the partition at the boundary, and any kept row's neighbours) by batches.
///
/// A partition is dropped only when
/// - its range ended before the database's clock, so no new run can land in it;
/// - it holds rows, every one of a status the purge removes, finished before that status's
///   cutoff (a queued or running run in an old partition keeps it, as does a NULL status or a
///   status without retention);
/// and the check is made twice: once to choose, cheaply (index probes, `sql/partitions/`), and
/// once more under a lock on the table, right before the drop, so that no run can change in
/// between. The lock is the one the drop takes anyway (PostgreSQL: one transaction,
/// `LOCK TABLE ... ACCESS EXCLUSIVE`; MySQL: `LOCK TABLES ... WRITE`, since an `ALTER TABLE`
/// commits on its own), held for the checks' few milliseconds.
///
/// Not used (the rows go by batches) with kind rules or `--kind` (a partition's kinds would
/// need a check each), with `--export` (its exactly-once batches are the walk's), with
/// `--archive-table` on MySQL (the copy and the drop cannot commit together), on SQLite (no
/// partitions), or when ``PurgeOptions/dropPartitions`` is off.
extension Purger {
    /// Whether this purge may drop partitions at all.
    var dropsPartitions: Bool {
        guard options.dropPartitions, options.kind == nil, options.retention.kinds.isEmpty, options.exportPath == nil else { return false }
        switch connection.backend {
        case .postgresql: return true
        case .mysql: return options.archiveTable == nil
        case .sqlite: return false
        }
    }

    /// The partitions the purge may drop whole, checked without a lock (a dry run's answer).
    func expiredPartitions(_ arms: [(status: DatabaseValue, cutoff: DatabaseValue)], now: Timestamp) throws -> [TablePartition] {
        guard dropsPartitions else { return [] }
        let listed = try connection.query(
            SQL.Partitions.List(quotedTableName: .text(connection.dialect.quote(table.name)), tableName: .text(table.name.name)), names: names)
        guard let keyText = try listed.first?.decode(String?.self, .partitionKey), let key = TablePartition.Key(catalogText: keyText),
            Self.isTimeColumn(key.column, of: table)
        else { return [] }
        var expired: [TablePartition] = []
        for row in listed {
            let partName = try row.decode(String.self, .name)
            let schema = try row.decode(String?.self, .schemaName)
            guard let name = try? SQLIdentifier(schema.map { "\($0).\(partName)" } ?? partName),
                let bound = try row.decode(String?.self, .bound),
                let end = TablePartition.end(of: bound, key: key, times: table.times), end <= now
            else { continue }
            let partition = TablePartition(name: name, estimatedRows: try row.decode(Int.self, .estimatedRows), end: end)
            if try holdsOnlyPurgeable(partition, arms: arms, on: connection) { expired.append(partition) }
        }
        return expired
    }

    /// Drops `partitions`, each checked once more under the table's lock; returns those dropped,
    /// with the time each held the table's lock (its check and detach or drop).
    func drop(
        _ partitions: [TablePartition], arms: [(status: DatabaseValue, cutoff: DatabaseValue)]
    ) throws -> [(partition: TablePartition, took: Duration)] {
        var dropped: [(partition: TablePartition, took: Duration)] = []
        let clock = ContinuousClock()
        for partition in partitions {
            let start = clock.now
            var names = names
            names["partition"] = partition.name
            if let archive = options.archiveTable { names["archive"] = archive }
            switch connection.backend {
            case .postgresql:
                let detached = try connection.inTransaction { connection in
                    try runs.fence?(connection)
                    try connection.execute(SQL.Partitions.Lock(), names: names)
                    guard try holdsOnlyPurgeable(partition, arms: arms, on: connection) else { return false }
                    if options.archiveTable != nil {
                        try connection.execute(
                            SQL.Partitions.Archive(quotedPartitionName: .text(connection.dialect.quote(partition.name))), names: names)
                    }
                    try connection.execute(SQL.Partitions.Detach(), names: names)
                    try connection.execute(SQL.Partitions.MarkDetached(), names: names)
                    return true
                }
                if detached {
                    let locked = clock.now - start
                    try connection.execute(SQL.Partitions.Drop(), names: names)
                    dropped.append((partition, locked))
                }
            case .mysql:
                // The fence reads the lease table, which LOCK TABLES would refuse to read.
                try runs.fence?(connection)
                try connection.execute(SQL.Partitions.Lock(), names: names)
                let gone: Bool
                do {
                    gone = try holdsOnlyPurgeable(partition, arms: arms, on: connection)
                    if gone { try connection.execute(SQL.Partitions.Drop(), names: names) }
                } catch {
                    _ = try? connection.execute(SQL.Partitions.Unlock())
                    throw error
                }
                try connection.execute(SQL.Partitions.Unlock())
                if gone { dropped.append((partition, clock.now - start)) }
            case .sqlite:
                break
            }
        }
        return dropped
    }

    /// Drops the partitions an earlier purge detached and marked but was stopped before dropping
    /// (PostgreSQL); returns their names.
    func dropDetachedLeftovers() throws -> [String] {
        guard dropsPartitions, connection.backend == .postgresql else { return [] }
        var dropped: [String] = []
        for row in try connection.query(SQL.Partitions.Detached(), names: names) {
            guard let name = try? SQLIdentifier("\(try row.decode(String.self, .schemaName)).\(try row.decode(String.self, .name))") else { continue }
            var names = names
            names["partition"] = name
            try connection.execute(SQL.Partitions.Drop(), names: names)
            dropped.append(name.description)
        }
        return dropped
    }

    /// Whether `partition` holds rows, and only rows the purge removes.
    private func holdsOnlyPurgeable(
        _ partition: TablePartition, arms: [(status: DatabaseValue, cutoff: DatabaseValue)], on connection: any DatabaseConnection
    ) throws -> Bool {
        var names = names
        names["partition"] = partition.name
        let purged = Set(arms.compactMap { String.fromDatabaseValue($0.status) })
        let present = try connection.query(SQL.Partitions.Statuses(), names: names).map { try $0.decode(String?.self, .status) }
        // Compared exactly: a value the collation takes for a purged one ('Succeeded' for
        // 'succeeded') keeps the partition, which errs on the side of keeping.
        guard !present.isEmpty, present.allSatisfy({ $0.map(purged.contains) ?? false }) else { return false }
        let keeps = try connection.query(
            SQL.Partitions.Keeps(arms: arms.map { SQL.Partitions.Keeps.Arm(status: $0.status, cutoff: $0.cutoff) }), names: names
        ).first?.decode(Int.self, .keeps)
        return keeps == 0
    }

    /// Whether `column` is the name of one of the table's mapped time columns.
    static func isTimeColumn(_ column: String, of table: TaskTable) -> Bool {
        table.columns.contains { $0.key.holdsTime && $0.value.name == column }
    }
}
