import TaskWardenCore
import TaskWardenSQL

/// The primary-key walk on PostgreSQL without rows to copy: batches of the table's blocks.
extension Purger {
    /// Where the block walk stands: the next block, the table's size in blocks when the walk
    /// began, and the rows a block holds, which turns the cursor's span of rows into blocks.
    struct BlockWalk {
        var next: Int
        let end: Int
        let rowsPerBlock: Double

        /// A block's rows when the planner has no estimate yet (before the first VACUUM or
        /// ANALYZE): about what a block holds of runs with a few hundred bytes of payload. The
        /// cursor sizes the next batches from the rows the first one deleted.
        static let rowsPerBlockUnknown = 50.0

        /// The blocks of the next batch for a span of `rows` rows: one at least.
        func blocks(forRows rows: Int) -> Int { max(1, Int((Double(rows) / rowsPerBlock).rounded(.up))) }
    }

    /// The block walk for this purge, or `nil` where batches keep to id ranges: on another
    /// backend, with rows to copy (an export or an archive copies an id range and deletes the
    /// same range, so that a row is copied exactly when it goes), and on a relation that is not
    /// a plain table (a partitioned table's blocks are its partitions').
    ///
    /// A TID range scan reads each heap page of a batch once, in order, as the single `DELETE`'s
    /// sequential scan does; the id ranges read the rows through the primary key and look each
    /// boundary up in it first (`sql/purge/delete_block_range.postgresql.sql`).
    func blockWalk(copying: Bool) throws -> BlockWalk? {
        guard !copying, SQL.Purge.TableBlocks.backends.contains(connection.backend) else { return nil }
        let quoted = connection.dialect.quote(table.name)
        guard let row = try connection.query(SQL.Purge.TableBlocks(quotedTableName: .text(quoted)), names: names).first?.raw,
            try row.decode(String.self, "relkind") == "r"
        else { return nil }
        let rowsPerBlock = try row.decode(Double?.self, "rows_per_block").flatMap { $0 >= 1 ? $0 : nil }
        return BlockWalk(next: 0, end: try row.decode(Int.self, "blocks"), rowsPerBlock: rowsPerBlock ?? BlockWalk.rowsPerBlockUnknown)
    }

    /// One batch of the block walk: the cursor's span of rows, as blocks, from where the walk
    /// stands; the last batch goes to the table's end. Returns the rows deleted per arm, and
    /// `false` after the last batch.
    func deleteBlockRange(_ filter: PurgeFilter, cursor: inout IdCursor, walk: BlockWalk) throws -> (deleted: [Int], more: Bool) {
        var walk = walk
        let until = walk.next + walk.blocks(forRows: cursor.span)
        let last = until >= walk.end
        let deleted = try inOneTransaction(if: filter.arms.count > 1) { connection in
            try filter.arms.indices.map { arm in
                try connection.execute(filter.deleteBlockRange(arm: arm, from: walk.next, until: last ? nil : until), names: names)
            }
        }
        cursor.adapt(deleted: deleted.reduce(0, +))
        walk.next = until
        cursor.blocks = walk
        return (deleted, !last)
    }
}
