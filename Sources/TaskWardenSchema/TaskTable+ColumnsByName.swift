import TaskWardenCore
import TaskWardenSQL

extension TaskTable {
    /// This table with each role its mapping leaves out mapped to the column of TaskWarden's
    /// own name (`started_at`, `heartbeat_at`, `kind`...), where the table has one; the parent
    /// table likewise. A table without ``fillsColumnsByName`` is returned as it is.
    ///
    /// A mapping should not have to repeat `started_at: started_at`. Only columns the table
    /// really has are added (read from the database's catalogue), and never a column the
    /// mapping already gives another role: `error: message` keeps `message` from also
    /// becoming the message role.
    ///
    /// - Throws: ``TaskTableError`` when a required role is still unmapped.
    public func fillingColumnsByName(on connection: any DatabaseConnection) throws -> TaskTable {
        guard fillsColumnsByName else { return self }
        let present = try Self.columnNames(of: name, on: connection)
        try checkColumnsExist(in: present, keyPrefix: "")
        let taken = Set(
            columns.values.map { $0.name.lowercased() } + (parent.map { [$0.key.name.lowercased()] } ?? [])
                + writtenColumns.map { $0.column.name.lowercased() })
        var filled = columns
        for column in Column.allCases where filled[column] == nil {
            let own = column.rawValue
            guard present.contains(own), !taken.contains(own) else { continue }
            filled[column] = try SQLIdentifier(own)
        }
        let parent = try self.parent.map { parent in
            // The parent's own columns are checked (and filled) against its own catalogue.
            do {
                return ParentTable(table: try parent.table.fillingColumnsByName(on: connection), key: parent.key)
            } catch let error as TaskTableError {
                guard case .unknownColumn(let column, let key, let table) = error.kind else { throw error }
                throw TaskTableError(.unknownColumn(column, key: "parent." + key, table: table))
            }
        }
        return try TaskTable(
            name: name, columns: filled, statuses: statuses, missingStatuses: missingStatuses, writes: writes, timeFormat: timeFormat,
            timeZone: times.zone, parent: parent, fillsColumnsByName: false,
            requiring: requiredColumns)
    }

    /// Refuses a mapping that names a column the table does not have, naming the key that
    /// does (`columns.finished_at`), instead of a database error on the first statement.
    ///
    /// A table the catalogue does not know (no columns at all) is left to the statements,
    /// whose error says which database was used.
    private func checkColumnsExist(in present: Set<String>, keyPrefix: String) throws(TaskTableError) {
        guard !present.isEmpty else { return }
        var named = columns.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("columns.\($0.key.rawValue)", $0.value) }
        for (status, list) in writes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            named += list.map { ("set_on.\(status.rawValue).\($0.column.name)", $0.column) }
        }
        if let parent { named.append(("parent.key", parent.key)) }
        for (key, column) in named where !present.contains(column.name.lowercased()) {
            throw TaskTableError(.unknownColumn(column.name, key: keyPrefix + key, table: name.description))
        }
    }

    /// The lowercased names of the table's columns, from the database's catalogue.
    static func columnNames(of name: SQLIdentifier, on connection: any DatabaseConnection) throws -> Set<String> {
        Set(try declaredTypes(of: name, on: connection).map { $0.name.lowercased() })
    }

    /// Each column of table `name` and its declared type (lowercased), as the database's
    /// catalogue reports them, in the catalogue's order; none when it has no such table.
    package static func declaredTypes(of name: SQLIdentifier, on connection: any DatabaseConnection) throws -> [(name: String, type: String)] {
        // Each dialect's file takes the name in the form it needs.
        let statement = SQL.Runs.ColumnTypes(
            quotedTableName: .text(connection.dialect.quote(name)), schemaName: name.parts.count > 1 ? .text(name.parts[0]) : .null,
            tableName: .text(name.name))
        return try connection.query(statement).map {
            (try $0.decode(String.self, .columnName), (try $0.decode(String?.self, .dataType) ?? "").lowercased())
        }
    }
}
