import CMariaDB
import TaskWardenCore

/// One prepared statement: binds parameters, executes, and reads back the binary-protocol rows.
///
/// Buffers are sized from `max_length`, which `mysql_stmt_store_result` computes when
/// `STMT_ATTR_UPDATE_MAX_LENGTH` is set, so long text is read whole without guessing.
struct MySQLStatement {
    struct Outcome {
        var affectedRows = 0
        var rows: [Row] = []
    }

    private let handle: UnsafeMutablePointer<MYSQL>
    private let sql: String

    init(_ handle: UnsafeMutablePointer<MYSQL>, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    func execute(_ parameters: [DatabaseValue]) throws -> Outcome {
        guard let statement = mysql_stmt_init(handle) else { throw connectionError() }
        defer { mysql_stmt_close(statement) }
        let prepared = sql.withCString { mysql_stmt_prepare(statement, $0, UInt(sql.utf8.count)) }
        guard prepared == 0 else { throw statementError(statement) }

        let expected = Int(mysql_stmt_param_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(
                backend: .mysql, category: .other,
                message: "the statement takes \(expected) parameters but \(parameters.count) were given", sql: sql)
        }
        // MYSQL_TIME holds unsigned fields: a year before 1 cannot even be expressed.
        for case .timestamp(let time) in parameters where !time.isSupported {
            throw DatabaseError(
                backend: .mysql, category: .other, message: "time \(time) is outside the years 1 to 9999 that MySQL stores", sql: sql)
        }
        let parameterBuffers = MySQLBindBuffers(parameters: parameters)
        if !parameters.isEmpty, mysql_stmt_bind_param(statement, parameterBuffers.binds) != 0 {
            throw statementError(statement)
        }
        guard mysql_stmt_execute(statement) == 0 else { throw statementError(statement) }

        guard let metadata = mysql_stmt_result_metadata(statement) else {
            let affected = mysql_stmt_affected_rows(statement)
            return Outcome(affectedRows: affected == UInt64.max ? 0 : Int(affected))
        }
        defer { mysql_free_result(metadata) }
        return Outcome(rows: try fetchRows(statement, metadata: metadata))
    }

    private func fetchRows(_ statement: UnsafeMutablePointer<MYSQL_STMT>, metadata: UnsafeMutablePointer<MYSQL_RES>) throws -> [Row] {
        var updateMaxLength: my_bool = 1
        mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength)
        guard mysql_stmt_store_result(statement) == 0 else { throw statementError(statement) }
        defer { mysql_stmt_free_result(statement) }

        let count = Int(mysql_num_fields(metadata))
        let fields = Array(UnsafeBufferPointer(start: mysql_fetch_fields(metadata), count: count))
        let columns = fields.map { String(cString: $0.name) }
        let buffers = MySQLBindBuffers(resultFields: fields)
        guard mysql_stmt_bind_result(statement, buffers.binds) == 0 else { throw statementError(statement) }

        var rows: [Row] = []
        rows.reserveCapacity(Int(mysql_stmt_num_rows(statement)))
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            guard status == 0 || status == MYSQL_DATA_TRUNCATED else { throw statementError(statement) }
            var values: [DatabaseValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                values.append(try buffers.value(at: index, field: fields[index], statement: statement) {
                    statementError(statement)
                })
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }

    private func statementError(_ statement: UnsafeMutablePointer<MYSQL_STMT>) -> DatabaseError {
        MySQLErrorClassifier.error(
            code: Int(mysql_stmt_errno(statement)), sqlState: String(cString: mysql_stmt_sqlstate(statement)),
            message: String(cString: mysql_stmt_error(statement)), sql: sql)
    }

    private func connectionError() -> DatabaseError {
        MySQLErrorClassifier.error(
            code: Int(mysql_errno(handle)), sqlState: String(cString: mysql_sqlstate(handle)),
            message: String(cString: mysql_error(handle)), sql: sql)
    }
}
