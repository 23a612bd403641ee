/// A JSON value as Python's `json.loads` gives it: objects keep their keys' order, numbers
/// with a fraction or an exponent are floats, the others integers.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Parses one JSON text (RFC 8259; integers must fit 64 bits).
    public static func parse(_ text: String) throws(ColumnEncodingError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.error("text after the JSON value") }
        return value
    }
}

/// Python's pickle format, protocol 2 (Python 2.3 and every Python 3 read it).
public enum PythonPickle {
    /// `pickle.dumps(value, protocol=2)` for a JSON value, without the memo Python's pickler
    /// adds (which only shares repeated objects): PROTO 2, the value, STOP.
    public static func protocol2(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = [0x80, 2]
        write(value, to: &out)
        out.append(UInt8(ascii: "."))
        return out
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(UInt8(ascii: "N"))
        case .bool(let flag): out.append(flag ? 0x88 : 0x89)  // NEWTRUE, NEWFALSE
        case .integer(let number): writeInteger(number, to: &out)
        case .double(let number):
            out.append(UInt8(ascii: "G"))  // BINFLOAT: 8 bytes, big-endian
            withUnsafeBytes(of: number.bitPattern.bigEndian) { out.append(contentsOf: $0) }
        case .string(let text):
            out.append(UInt8(ascii: "X"))  // BINUNICODE: 4-byte little-endian length, UTF-8
            let utf8 = Array(text.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "]"))  // EMPTY_LIST, then MARK ... APPENDS
            guard !elements.isEmpty else { return }
            out.append(UInt8(ascii: "("))
            for element in elements { write(element, to: &out) }
            out.append(UInt8(ascii: "e"))
        case .object(let members):
            out.append(UInt8(ascii: "}"))  // EMPTY_DICT, then MARK key value ... SETITEMS
            guard !members.isEmpty else { return }
            out.append(UInt8(ascii: "("))
            for (key, member) in members {
                write(.string(key), to: &out)
                write(member, to: &out)
            }
            out.append(UInt8(ascii: "u"))
        }
    }

    /// As Python's pickler: BININT1, BININT2, BININT, else LONG1 (minimal two's complement).
    private static func writeInteger(_ number: Int64, to out: inout [UInt8]) {
        if number >= 0 && number <= 0xff {
            out += [UInt8(ascii: "K"), UInt8(number)]
        } else if number >= 0 && number <= 0xffff {
            out.append(UInt8(ascii: "M"))
            withUnsafeBytes(of: UInt16(number).littleEndian) { out.append(contentsOf: $0) }
        } else if let small = Int32(exactly: number) {
            out.append(UInt8(ascii: "J"))
            withUnsafeBytes(of: small.littleEndian) { out.append(contentsOf: $0) }
        } else {
            var bytes = withUnsafeBytes(of: number.littleEndian) { Array($0) }
            while bytes.count > 1,
                (bytes[bytes.count - 1] == 0 && bytes[bytes.count - 2] & 0x80 == 0)
                    || (bytes[bytes.count - 1] == 0xff && bytes[bytes.count - 2] & 0x80 != 0)
            {
                bytes.removeLast()
            }
            out += [0x8a, UInt8(bytes.count)] + bytes
        }
    }
}

/// A small recursive-descent reader of JSON text, for ``JSONValue/parse(_:)``.
private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    func error(_ what: String) -> ColumnEncodingError {
        ColumnEncodingError("not JSON: \(what) at byte \(index)")
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(ColumnEncodingError) -> JSONValue {
        guard depth < 200 else { throw error("nested too deeply") }
        skipSpace()
        guard index < bytes.count else { throw error("no value") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a key must be a string") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("':' expected") }
                index += 1
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw error("'}' expected") }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("',' or '}' expected") }
            }
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("']' expected") }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "]") { return .array(elements) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("',' or ']' expected") }
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default:
            return try number()
        }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(ColumnEncodingError) -> JSONValue {
        let spelled = Array(word.utf8)
        guard index + spelled.count <= bytes.count, Array(bytes[index..<(index + spelled.count)]) == spelled else {
            throw error("unknown literal")
        }
        index += spelled.count
        return value
    }

    mutating func number() throws(ColumnEncodingError) -> JSONValue {
        let start = index
        var isFloat = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw error("a value expected") }
        guard bytes[digitsStart] != UInt8(ascii: "0") || index - digitsStart == 1 else { throw error("a number with a leading zero") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            let fraction = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fraction else { throw error("digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > exponent else { throw error("digits expected in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isFloat {
            guard let number = Double(text), number.isFinite else { throw error("a number out of range") }
            return .double(number)
        }
        guard let number = Int64(text) else { throw error("an integer beyond 64 bits") }
        return .integer(number)
    }

    mutating func string() throws(ColumnEncodingError) -> String {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(index)
                index += 1
                return String(scalars)
            }
            guard byte >= 0x20 else { throw error("a control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(index)
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("a lone surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("a lone surrogate") }
                scalars.append(scalar)
            default:
                throw error("an unknown escape")
            }
            run = index
        }
        throw error("a string never closed")
    }

    mutating func hex4() throws(ColumnEncodingError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("four hex digits expected") }
        var code: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            guard let digit = Int(String(Unicode.Scalar(byte)), radix: 16) else { throw error("four hex digits expected") }
            code = code * 16 + UInt32(digit)
        }
        index += 4
        return code
    }
}
