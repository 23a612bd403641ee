/// One row of a query result: column names and values, in select-list order.
///
/// Columns are found by exact name first, then case-insensitively, because PostgreSQL folds
/// unquoted names to lower case while MySQL and SQLite keep them as written.
public struct Row: Sendable, Hashable {
    public let columns: [String]
    public let values: [DatabaseValue]

    public init(columns: [String], values: [DatabaseValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    /// The index of the column named `name`, if the row has one.
    public func index(of name: String) -> Int? {
        columns.firstIndex(of: name)
            ?? columns.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The raw value of column `name`, or `nil` when the row has no such column.
    public subscript(_ name: String) -> DatabaseValue? {
        index(of: name).map { values[$0] }
    }

    public subscript(_ index: Int) -> DatabaseValue { values[index] }

    /// Decodes column `name` as `T`.
    ///
    /// - Throws: ``RowDecodingError`` when the column is missing or its value does not convert.
    ///   Decode as `T?` to accept `NULL`.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, _ name: String) throws -> T {
        guard let index = index(of: name) else {
            throw RowDecodingError(column: name, value: nil, expectedType: "\(T.self)")
        }
        return try decode(type, at: index)
    }

    /// Decodes the value at `index` as `T`.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, at index: Int) throws -> T {
        let value = values[index]
        guard let decoded = T.fromDatabaseValue(value) else {
            throw RowDecodingError(column: columns[index], value: value, expectedType: "\(T.self)")
        }
        return decoded
    }
}

/// A row value that is missing or does not convert to the requested type.
public struct RowDecodingError: Error, Sendable, CustomStringConvertible {
    public let column: String
    /// The value found, or `nil` when the row has no such column.
    public let value: DatabaseValue?
    public let expectedType: String

    public init(column: String, value: DatabaseValue?, expectedType: String) {
        self.column = column
        self.value = value
        self.expectedType = expectedType
    }

    public var description: String {
        guard let value else { return "result has no column '\(column)'" }
        return "column '\(column)' holds \(value), which is not a \(expectedType)"
    }
}
