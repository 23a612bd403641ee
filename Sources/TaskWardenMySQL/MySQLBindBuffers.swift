import CMariaDB
import Foundation
import TaskWardenCore

/// An array of `MYSQL_BIND` with the memory each one points to, freed together.
///
/// Connector/C keeps pointers into these buffers between calls (`bind_param` to `execute`,
/// `bind_result` to each `fetch`), so they live in manually allocated memory with a stable
/// address rather than in Swift arrays.
final class MySQLBindBuffers {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let count: Int
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let errors: UnsafeMutablePointer<my_bool>
    private var allocations: [UnsafeMutableRawPointer] = []

    private init(count: Int) {
        self.count = count
        let slots = max(count, 1)
        binds = .allocate(capacity: slots)
        binds.initialize(repeating: MYSQL_BIND(), count: slots)
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        nulls = .allocate(capacity: slots)
        nulls.initialize(repeating: 0, count: slots)
        errors = .allocate(capacity: slots)
        errors.initialize(repeating: 0, count: slots)
    }

    deinit {
        allocations.forEach { $0.deallocate() }
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 16)
        allocations.append(pointer)
        return pointer
    }

    // MARK: Parameters

    /// Buffers holding `parameters`, ready for `mysql_stmt_bind_param`.
    convenience init(parameters: [DatabaseValue]) {
        self.init(count: parameters.count)
        for (index, value) in parameters.enumerated() {
            let bind = binds + index
            switch value {
            case .null:
                bind.pointee.buffer_type = MYSQL_TYPE_NULL
            case .integer(let integer):
                setScalar(bind, type: MYSQL_TYPE_LONGLONG, value: integer)
            case .double(let double):
                setScalar(bind, type: MYSQL_TYPE_DOUBLE, value: double)
            case .text(let text):
                setBytes(bind, type: MYSQL_TYPE_STRING, bytes: Array(text.utf8), index: index)
            case .bytes(let bytes):
                setBytes(bind, type: MYSQL_TYPE_BLOB, bytes: bytes, index: index)
            case .timestamp(let timestamp):
                let c = timestamp.components
                var time = MYSQL_TIME()
                time.year = UInt32(c.year)
                time.month = UInt32(c.month)
                time.day = UInt32(c.day)
                time.hour = UInt32(c.hour)
                time.minute = UInt32(c.minute)
                time.second = UInt32(c.second)
                time.second_part = UInt(c.microsecond)
                time.time_type = MYSQL_TIMESTAMP_DATETIME
                setScalar(bind, type: MYSQL_TYPE_DATETIME, value: time)
            }
        }
    }

    private func setScalar<T>(_ bind: UnsafeMutablePointer<MYSQL_BIND>, type: enum_field_types, value: T) {
        let buffer = allocate(MemoryLayout<T>.size)
        buffer.storeBytes(of: value, as: T.self)
        bind.pointee.buffer_type = type
        bind.pointee.buffer = buffer
        bind.pointee.buffer_length = UInt(MemoryLayout<T>.size)
    }

    private func setBytes(_ bind: UnsafeMutablePointer<MYSQL_BIND>, type: enum_field_types, bytes: [UInt8], index: Int) {
        let buffer = allocate(bytes.count)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
        }
        bind.pointee.buffer_type = type
        bind.pointee.buffer = buffer
        bind.pointee.buffer_length = UInt(bytes.count)
        lengths[index] = UInt(bytes.count)
        bind.pointee.length = lengths + index
    }

    // MARK: Results

    /// Buffers for the columns described by `fields`, ready for `mysql_stmt_bind_result`.
    convenience init(resultFields fields: [MYSQL_FIELD]) {
        self.init(count: fields.count)
        for (index, field) in fields.enumerated() {
            let bind = binds + index
            bind.pointee.is_null = nulls + index
            bind.pointee.length = lengths + index
            bind.pointee.error = errors + index
            switch MySQLColumnKind(field) {
            case .integer:
                bind.pointee.buffer_type = MYSQL_TYPE_LONGLONG
                bind.pointee.is_unsigned = field.flags & UInt32(UNSIGNED_FLAG) != 0 ? 1 : 0
                bind.pointee.buffer = allocate(8)
                bind.pointee.buffer_length = 8
            case .double:
                bind.pointee.buffer_type = MYSQL_TYPE_DOUBLE
                bind.pointee.buffer = allocate(8)
                bind.pointee.buffer_length = 8
            case .timestamp:
                bind.pointee.buffer_type = MYSQL_TYPE_DATETIME
                bind.pointee.buffer = allocate(MemoryLayout<MYSQL_TIME>.size)
                bind.pointee.buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
            case .text, .bytes:
                let size = Int(field.max_length) + 1
                bind.pointee.buffer_type = MYSQL_TYPE_BLOB
                bind.pointee.buffer = allocate(size)
                bind.pointee.buffer_length = UInt(size)
            }
        }
    }

    /// The value of column `index` of the row just fetched.
    func value(
        at index: Int, field: MYSQL_FIELD, statement: UnsafeMutablePointer<MYSQL_STMT>,
        error: () -> DatabaseError
    ) throws -> DatabaseValue {
        if nulls[index] != 0 { return .null }
        let bind = binds + index
        let buffer = bind.pointee.buffer!
        switch MySQLColumnKind(field) {
        case .integer:
            let raw = buffer.load(as: Int64.self)
            if bind.pointee.is_unsigned != 0, raw < 0 {
                return .text(String(UInt64(bitPattern: raw)))
            }
            return .integer(raw)
        case .double:
            return .double(buffer.load(as: Double.self))
        case .timestamp:
            let time = buffer.load(as: MYSQL_TIME.self)
            guard time.year > 0, time.month > 0, time.day > 0 else {
                return .text("0000-00-00 00:00:00")  // MySQL's zero date has no point in time.
            }
            return .timestamp(
                Timestamp(
                    Timestamp.Components(
                        year: Int(time.year), month: Int(time.month), day: Int(time.day), hour: Int(time.hour),
                        minute: Int(time.minute), second: Int(time.second), microsecond: Int(time.second_part))))
        case .text, .bytes:
            let length = Int(lengths[index])
            var bytes: [UInt8]
            if length <= Int(bind.pointee.buffer_length) {
                bytes = Array(UnsafeRawBufferPointer(start: buffer, count: length))
            } else {
                bytes = try fetchWhole(column: index, length: length, statement: statement, error: error)
            }
            if MySQLColumnKind(field) == .bytes { return .bytes(bytes) }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Reads a column that did not fit its buffer, with `mysql_stmt_fetch_column`.
    private func fetchWhole(
        column: Int, length: Int, statement: UnsafeMutablePointer<MYSQL_STMT>, error: () -> DatabaseError
    ) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        var actualLength: UInt = 0
        var bind = MYSQL_BIND()
        let status = bytes.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &actualLength) { lengthPointer in
                bind.buffer_type = MYSQL_TYPE_BLOB
                bind.buffer = raw.baseAddress
                bind.buffer_length = UInt(length)
                bind.length = lengthPointer
                return mysql_stmt_fetch_column(statement, &bind, UInt32(column), 0)
            }
        }
        guard status == 0 else { throw error() }
        return bytes
    }
}

/// How TaskWarden reads a result column, from its MySQL type.
enum MySQLColumnKind: Equatable {
    case integer, double, timestamp, text, bytes

    /// The charset number MySQL gives binary strings and BLOBs.
    static let binaryCharset: UInt32 = 63

    init(_ field: MYSQL_FIELD) {
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            self = .integer
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            self = .double
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP:
            self = .timestamp
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
            MYSQL_TYPE_STRING, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR, MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            self = field.charsetnr == Self.binaryCharset ? .bytes : .text
        default:
            // DECIMAL, DATE, TIME, JSON, ENUM, SET: exact text.
            self = .text
        }
    }
}
