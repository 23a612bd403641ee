import CPostgreSQL
import Foundation
import TaskWardenCore

/// Bound parameters in the form `PQexecParams` takes.
///
/// Text goes with type OID 0 so the server infers it from context (a `jsonb` or `varchar`
/// column takes it as it is); the other kinds carry their type so that `SELECT $1` and
/// comparisons behave. `bytea` travels in binary format, everything else as text.
struct PostgreSQLParameters {
    private var types: [Oid] = []
    private var buffers: [UnsafeMutablePointer<CChar>?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [DatabaseValue]) {
        for value in values {
            switch value {
            case .null: append(type: 0, text: nil)
            case .integer(let integer): append(type: PostgreSQLType.int8, text: String(integer))
            case .double(let double): append(type: PostgreSQLType.float8, text: Self.text(double))
            case .text(let text): append(type: 0, text: text)
            case .timestamp(let timestamp): append(type: PostgreSQLType.timestamptz, text: timestamp.sqlText + "+00")
            case .bytes(let bytes):
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Swift.max(bytes.count, 1))
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(buffer, base, bytes.count) }
                }
                types.append(PostgreSQLType.bytea)
                buffers.append(buffer)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
    }

    private mutating func append(type: Oid, text: String?) {
        types.append(type)
        buffers.append(text.map { strdup($0) })
        lengths.append(0)
        formats.append(0)
    }

    private static func text(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return String(double)
    }

    /// Calls `body` with the C arrays, then frees the buffers.
    func withArrays<R>(
        _ body: (UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        defer { buffers.forEach { $0?.deallocate() } }
        let values = buffers.map { UnsafePointer($0) }
        return types.withUnsafeBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                lengths.withUnsafeBufferPointer { l in
                    formats.withUnsafeBufferPointer { f in
                        body(t.baseAddress, v.baseAddress, l.baseAddress, f.baseAddress)
                    }
                }
            }
        }
    }
}

/// The type OIDs TaskWarden binds and decodes (from `pg_type.dat`).
enum PostgreSQLType {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let oid: Oid = 26
    static let float4: Oid = 700
    static let float8: Oid = 701
    static let timestamp: Oid = 1114
    static let timestamptz: Oid = 1184
}
