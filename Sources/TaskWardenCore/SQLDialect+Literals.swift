/// Values written into SQL text, for scripts a person reads and runs with the database's own
/// client (`--show-sql`).
///
/// Statements the drivers run never take these: they bind their values. A script printed for
/// `psql`, `mariadb` or `sqlite3` has no parameters, so each value is spelled as a literal the
/// server reads back as the value a driver would have bound, with the type the driver would
/// have given it (a timestamp stays a timestamp, bytes stay bytes).
extension SQLDialect {
    /// `value` as a literal of this dialect.
    ///
    /// - Throws: ``SQLLiteralError`` for a value no literal of this dialect can carry (an
    ///   infinite or NaN double on MySQL, which rejects them when bound too).
    package func literal(_ value: DatabaseValue) throws(SQLLiteralError) -> String {
        switch value {
        case .null:
            return "NULL"
        case .integer(let integer):
            // `-9223372036854775808` reads as the negation of a number too large for a bigint,
            // so an exact numeric on PostgreSQL and MySQL.
            return integer == .min ? "(-9223372036854775807 - 1)" : String(integer)
        case .double(let double):
            return try literal(double)
        case .text(let text):
            return literal(text)
        case .bytes(let bytes):
            let hex = bytes.hexadecimal
            return backend == .postgresql ? "'\\x\(hex)'::bytea" : "X'\(hex)'"
        case .timestamp(let timestamp):
            switch backend {
            case .postgresql: return "TIMESTAMPTZ '\(timestamp.sqlText)+00'"
            case .mysql: return "TIMESTAMP '\(timestamp.sqlText)'"
            case .sqlite: return "'\(timestamp.sqlText)'"
            }
        }
    }

    /// `statement` with each placeholder replaced by the literal of its value.
    ///
    /// - Throws: ``SQLLiteralError`` when a value has no literal, or the placeholders and the
    ///   values do not match up.
    package func inlining(_ statement: String, _ parameters: [DatabaseValue]) throws(SQLLiteralError) -> String {
        let placeholders = SQLStatementSplitter(backend: backend).placeholders(in: statement)
        guard !placeholders.isEmpty else {
            guard parameters.isEmpty else { throw SQLLiteralError(message: "a statement without placeholders was given \(parameters.count) value(s)") }
            return statement
        }
        let bytes = Array(statement.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        for (index, range) in placeholders.enumerated() {
            // `$n` names its value; `?` takes the next one.
            let position = placeholderStyle == .dollarNumbered ? (Int(String(decoding: bytes[(range.lowerBound + 1)..<range.upperBound], as: UTF8.self)) ?? 0) - 1 : index
            guard parameters.indices.contains(position) else {
                throw SQLLiteralError(message: "placeholder \(index + 1) has no value (\(parameters.count) given)")
            }
            result += bytes[copied..<range.lowerBound]
            result += Array(try literal(parameters[position]).utf8)
            copied = range.upperBound
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    private func literal(_ double: Double) throws(SQLLiteralError) -> String {
        if double.isFinite {
            let text = String(double)
            // PostgreSQL reads any number with a point or exponent as numeric; MySQL reads one
            // with an exponent as a double, and one without as an exact DECIMAL.
            if backend == .postgresql { return "CAST('\(text)' AS float8)" }
            return text.contains("e") ? text : "\(text)e0"
        }
        switch backend {
        case .postgresql:
            return "CAST('\(double.isNaN ? "NaN" : double < 0 ? "-Infinity" : "Infinity")' AS float8)"
        case .sqlite:
            // SQLite binds NaN as NULL; a literal too large for a double reads as infinity.
            return double.isNaN ? "NULL" : double < 0 ? "-9e999" : "9e999"
        case .mysql:
            throw SQLLiteralError(message: "MySQL has no literal for the double \(double)")
        }
    }

    /// Text as a string literal: quotes doubled. Where that alone would not carry the text
    /// exactly (a backslash, which MySQL reads as an escape unless `NO_BACKSLASH_ESCAPES`; a
    /// NUL, which no quoted literal holds), the UTF-8 bytes go in hexadecimal instead.
    private func literal(_ text: String) -> String {
        let needsBytes = text.utf8.contains(0) || (backend == .mysql && text.utf8.contains(UInt8(ascii: "\\")))
        guard needsBytes else { return "'\(text.doublingQuotes)'" }
        let hex = Array(text.utf8).hexadecimal
        switch backend {
        case .mysql: return "_utf8mb4 X'\(hex)'"
        case .sqlite: return "CAST(X'\(hex)' AS TEXT)"
        // PostgreSQL text cannot hold NUL, bound or not: the server rejects either.
        case .postgresql: return "convert_from('\\x\(hex)'::bytea, 'UTF8')"
        }
    }
}

/// A value or statement that cannot be written as SQL text for a script.
package struct SQLLiteralError: Error, Sendable, Hashable, CustomStringConvertible {
    package let message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal, two digits per byte.
    fileprivate var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension String {
    /// Each `'` doubled. Done on the UTF-8 bytes, not on characters: a quote followed by a
    /// combining mark is one `Character`, and must still be doubled.
    fileprivate var doublingQuotes: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 2)
        for byte in utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "'") { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
