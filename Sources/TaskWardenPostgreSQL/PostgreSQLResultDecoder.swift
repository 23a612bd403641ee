import CPostgreSQL
import TaskWardenCore

/// Turns a text-format `PGresult` into rows of ``DatabaseValue``.
struct PostgreSQLResultDecoder {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    func rows() -> [Row] {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { PQftype(result, Int32($0)) }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [DatabaseValue] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(.null)
                } else {
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                    values.append(Self.decode(bytes, type: types[Int(column)]))
                }
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, type: Oid) -> DatabaseValue {
        let text = String(decoding: bytes, as: UTF8.self)
        switch type {
        case PostgreSQLType.int8, PostgreSQLType.int2, PostgreSQLType.int4, PostgreSQLType.oid:
            return Int64(text).map(DatabaseValue.integer) ?? .text(text)
        case PostgreSQLType.float4, PostgreSQLType.float8:
            switch text {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default: return Double(text).map(DatabaseValue.double) ?? .text(text)
            }
        case PostgreSQLType.bool:
            return .integer(text == "t" ? 1 : 0)
        case PostgreSQLType.bytea:
            return .bytes(decodeHex(bytes) ?? Array(bytes))
        case PostgreSQLType.timestamp, PostgreSQLType.timestamptz:
            // `infinity` and years past 9999 have no Timestamp: they stay text.
            return Timestamp(parsing: text).map(DatabaseValue.timestamp) ?? .text(text)
        default:
            return .text(text)
        }
    }

    /// Decodes `bytea` hex output (`\x0a1b...`).
    private static func decodeHex(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"),
            bytes.count % 2 == 0
        else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = hexDigit(bytes[index]), let low = hexDigit(bytes[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
