import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `set_on` values with an encoding: Python pickles of generated JSON read back by Python
/// itself, bytes journaled and restored exactly by undo, and the mappings refused.
@Suite("Encoded set_on values")
struct ColumnEncodingTests {
    /// A JSON value drawn from `seed`: nested objects and arrays, strings with quotes,
    /// backslashes, control characters and characters outside the BMP, integers of every size
    /// up to 64 bits, floats, booleans, null.
    static func value(seed: Int64) -> JSONValue {
        var random = SplitMix(state: UInt64(bitPattern: seed))
        return value(&random, depth: 0)
    }

    static func value(_ random: inout SplitMix, depth: Int) -> JSONValue {
        switch random.next(below: depth > 3 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(random.next(below: 2) == 1)
        case 2:
            let magnitudes: [Int64] = [0, 1, 255, 256, 65_535, 65_536, Int64(Int32.max), Int64(Int32.max) + 1, Int64.max]
            let base = magnitudes[Int(random.next(below: UInt64(magnitudes.count)))]
            let number = random.next(below: 2) == 0 ? base : Int64(bitPattern: random.next())
            return .integer(random.next(below: 3) == 0 ? (number == .min ? number : -number) : number)
        case 3: return .double(Double(Int64(bitPattern: random.next()) % 1_000_000_000) / 1_000.0 + 0.5)
        case 4, 5: return .string(string(&random))
        case 6: return .array((0..<random.next(below: 5)).map { _ in value(&random, depth: depth + 1) })
        default:
            return .object((0..<random.next(below: 5)).map { _ in (string(&random), value(&random, depth: depth + 1)) })
        }
    }

    static func string(_ random: inout SplitMix) -> String {
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "中", "\u{7F}", "\u{2028}", "😀", "\u{10FFFF}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<random.next(below: 12) { scalars.append(alphabet[Int(random.next(below: UInt64(alphabet.count)))]) }
        return String(scalars)
    }

    /// JSON text for `value`, escaping as a JSON writer may: `\uXXXX` for control characters,
    /// and (every other string) for everything outside ASCII, as surrogate pairs past the BMP.
    static func text(_ value: JSONValue, asciiOnly: Bool) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .double(let number): return "\(number)"
        case .string(let string):
            var out = "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                        for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        case .array(let elements): return "[" + elements.map { text($0, asciiOnly: asciiOnly) }.joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { text(.string($0.0), asciiOnly: asciiOnly) + ": " + text($0.1, asciiOnly: asciiOnly) }.joined(separator: ",") + "}"
        }
    }

    @Test("generated JSON parses back to the value it was written from, however escaped")
    func parseRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: .min ... .max), Gen.bool) { seed, asciiOnly in
            let value = Self.value(seed: seed)
            let json = Self.text(value, asciiOnly: asciiOnly)
            #expect((try? JSONValue.parse(json)) == value, "\(json)")
            #expect(PythonPickle.protocol2(value).last == UInt8(ascii: "."))
        }
        for bad in ["", "{", "[1,]", "01", "1.", "\"\\ud800\"", "\"a\u{01}\"", "tru", "{\"a\" 1}", "99999999999999999999", "1 2", "NaN"] {
            #expect(throws: ColumnEncodingError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
    }

    @Test("Python's pickle.loads reads each generated value's pickle as json.loads reads its JSON")
    func pythonReadsPickles() async throws {
        let python = try CeleryHarness(backend: "sqlalchemy", url: "")
        var cases: [(json: String, pickle: [UInt8])] = []
        // The seeds the property checks use, and fixed edges.
        for seed in (0..<400).map({ Int64($0) &* 0x1E37_79B9_7F4A_7C15 }) {
            let value = Self.value(seed: seed)
            let json = Self.text(value, asciiOnly: seed % 2 == 0)
            cases.append((json, try ColumnEncoding.pythonPickle.encode(json).bytes ?? []))
        }
        for json in ["null", "[]", "{}", "-1", "-129", "-32769", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808", "1e300", "-0.0", "\"\"",
                     #"{"exc_type": "WorkerLostError", "exc_message": ["lost \"w7\" \\ OOM"], "exc_module": "billiard.exceptions"}"#]
        {
            cases.append((json, try ColumnEncoding.pythonPickle.encode(json).bytes ?? []))
        }
        let report = try python.checkPickles(cases)
        #expect(report.checked == cases.count)
        #expect(report.mismatches.isEmpty, "\(report.mismatches)")
    }

    @Test("a binary set_on is written as bytes, journaled as hex and restored byte for byte by undo (and redone)", arguments: TestBackend.allCases)
    func binaryUndo(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let blob = switch backend {
        case .postgresql: "BYTEA"
        case .mysql: "LONGBLOB"
        case .sqlite: "BLOB"
        }
        try db.execute("CREATE TABLE results (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, result \(blob), meta \(blob))", [])
        let p = db.dialect.placeholder
        let old: [UInt8] = [0x80, 0x05, 0x00, 0xFF, 0x27, 0x22, 0x5C, 0x0A] + Array("still running".utf8)
        for (id, value) in [(1, DatabaseValue.bytes(old)), (2, .null)] {
            try db.execute(
                "INSERT INTO results (id, status, started_at, result, meta) VALUES (\(p(1)), 'STARTED', \(p(2)), \(p(3)), \(p(4)))",
                [.integer(Int64(id)), .timestamp(fixture.ago(minutes: 120)), value, value])
        }
        let config = try TaskWardenConfiguration.parse(#"""
            table:
              name: results
              columns: {started_at: started_at}
              statuses: {failed: [FAILURE], running: [STARTED]}
              set_on:
                failed:
                  result: {value: '{"exc_message": [{note_json}], "n": 1}', encoding: python_pickle}
                  meta: {value: 'lost: {note}', encoding: bytes}
            """#)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let recovered = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), reason: "gone"))
        #expect(recovered.changed.count == 2)
        let row = try #require(try db.queryFirst("SELECT result, meta FROM results WHERE id = 1"))
        let pickle = try #require(row["result"]?.bytes)
        #expect(Array(pickle.prefix(3)) == [0x80, 0x02, UInt8(ascii: "}")], "\(pickle)")
        #expect(String(decoding: try #require(row["meta"]?.bytes), as: UTF8.self).hasPrefix("lost: "))

        let undone = try runs.undo(batchID: try #require(recovered.batchID))
        #expect(undone.restored.count == 2)
        let back = try #require(try db.queryFirst("SELECT status, result, meta FROM results WHERE id = 1"))
        #expect(back["status"] == .text("STARTED"))
        #expect(back["result"]?.bytes == old)
        #expect(back["meta"]?.bytes == old)
        let empty = try #require(try db.queryFirst("SELECT result, meta FROM results WHERE id = 2"))
        #expect(empty["result"] == .null)
        #expect(empty["meta"] == .null)

        // The undo's own journal keeps the bytes it overwrote: undoing it writes them again.
        let redone = try runs.undo(batchID: try #require(undone.batchID))
        #expect(redone.restored.count == 2)
        #expect(try db.queryFirst("SELECT result FROM results WHERE id = 1")?["result"]?.bytes == pickle)
    }

    @Test("an encoding that is unknown, a pickle of text that is not JSON, and a column set as text and as bytes are refused, naming the key")
    func refused() {
        let cases: [(String, String)] = [
            ("table: {name: t, set_on: {failed: {result: {value: x, encoding: zip}}}}", "table.set_on.failed.result.encoding"),
            ("table: {name: t, set_on: {failed: {result: {value: '{note}', encoding: python_pickle}}}}", "table.set_on.failed.result.value"),
            ("table: {name: t, set_on: {failed: {result: {value: '[{note_json}]', encoding: python_pickle, level: 2}}}}", "table.set_on.failed.result.level"),
            ("table: {name: t, set_on: {failed: {result: {encoding: bytes}}}}", "table.set_on.failed.result"),
            ("table: {name: t, set_on: {failed: {result: {value: x, encoding: bytes}}, cancelled: {result: y}}}", "result"),
        ]
        for (text, key) in cases {
            let error = #expect(throws: ConfigurationError.self, "\(text)") { try TaskWardenConfiguration.parse(text) }
            #expect(error?.description.contains(key) == true, "\(error?.description ?? "")")
        }
    }
}

/// A small seeded generator (SplitMix64), so each property case is reproducible from its seed.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below bound: UInt64) -> UInt64 { next() % bound }
}

extension DatabaseValue {
    /// The bytes of a binary value (SQLite may hand back a blob written as text as text).
    var bytes: [UInt8]? {
        switch self {
        case .bytes(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
