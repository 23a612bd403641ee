import Foundation

/// A Swift type that converts to and from ``DatabaseValue``.
///
/// Decoding is lenient where backends legitimately differ (SQLite keeps time as text or
/// numbers, MySQL returns `BIGINT UNSIGNED` sums as text) and strict where a silent
/// conversion would lose data (a fractional double is not an integer).
public protocol DatabaseValueConvertible: Sendable {
    var databaseValue: DatabaseValue { get }
    /// The value, or `nil` when `databaseValue` cannot represent it without loss.
    static func fromDatabaseValue(_ value: DatabaseValue) -> Self?
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DatabaseValue? { value }
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let integer): return integer
        case .double(let double):
            guard double.rounded() == double, let exact = Int64(exactly: double) else { return nil }
            return exact
        case .text(let text): return Int64(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int? {
        Int64.fromDatabaseValue(value).flatMap { Int(exactly: $0) }
    }
}

extension Int32: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int32? {
        Int64.fromDatabaseValue(value).flatMap { Int32(exactly: $0) }
    }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Bool? {
        switch value {
        case .integer(let integer): return integer != 0
        case .text(let text):
            switch text.lowercased() {
            case "t", "true", "1", "yes", "on": return true
            case "f", "false", "0", "no", "off": return false
            default: return nil
            }
        default: return nil
        }
    }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .double(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let double): return double
        case .integer(let integer): return Double(integer)
        case .text(let text): return Double(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let text): return text
        case .integer(let integer): return String(integer)
        case .double(let double): return String(double)
        case .timestamp(let timestamp): return timestamp.sqlText
        case .bytes(let bytes): return String(validating: bytes, as: UTF8.self)
        case .null: return nil
        }
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    public var databaseValue: DatabaseValue { .bytes(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> [UInt8]? {
        switch value {
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: return nil
        }
    }
}

extension Data: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .bytes(Array(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Data? {
        [UInt8].fromDatabaseValue(value).map { Data($0) }
    }
}

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .timestamp(self) }

    /// Reads native timestamps, and ISO-8601 text as SQLite tables keep it.
    ///
    /// Numbers are not read as time here: whether `1700000000` means seconds or milliseconds is
    /// a property of the column, which the table mapping states.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Timestamp? {
        switch value {
        case .timestamp(let timestamp): return timestamp
        case .text(let text): return Timestamp(parsing: text)
        default: return nil
        }
    }
}

extension Date: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .timestamp(Timestamp(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Date? {
        Timestamp.fromDatabaseValue(value)?.date
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Wrapped?? {
        if value.isNull { return .some(nil) }
        return Wrapped.fromDatabaseValue(value).map { .some($0) }
    }
}
