import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Literals for `--show-sql` scripts, generated: the server reads each back as exactly the value
/// the driver would have bound, whatever quotes, backslashes, placeholders or comment markers
/// the text holds.
@Suite("SQL literals, generated")
struct SQLLiteralPropertyTests {
    /// Pieces that break naive quoting: quotes, backslashes, placeholders and comment markers of
    /// every dialect, a quote with a combining mark (one Character), multi-byte text.
    static let pieces = [
        "a", "Z", "'", "''", "\\", "\\'", "?", "$1", "$$", "--", "#", "/*", "*/", "\n", "\r", "\t", "é", "e\u{301}", "'\u{301}", "😀", "\"",
        "`", ";", "%", "_", " ", "中",
    ]
    static let text = Gen.element(of: pieces).map { $0! }.array(of: 0...14).map { $0.joined() }

    @Test("text, integers, doubles, bytes and timestamps read back as bound", arguments: TestBackend.allCases)
    func readBackAsBound(backend: TestBackend) async throws {
        let db = try backend.connect()
        defer { db.close() }
        func check(_ value: DatabaseValue) {
            do {
                let literal = try db.dialect.literal(value)
                let fromLiteral = try db.query("SELECT \(literal) AS v", []).first?.values.first
                let fromBound = try db.query("SELECT \(db.dialect.placeholder(1)) AS v", [value]).first?.values.first
                #expect(fromLiteral == fromBound, "\(backend): \(value.description) as \(literal)")
            } catch {
                Issue.record("\(backend): \(value.description): \(error)")
            }
        }
        await propertyCheck(count: 300, input: Self.text) { check(.text($0)) }
        await propertyCheck(count: 200, input: Gen.int64(in: .min ... .max)) { check(.integer($0)) }
        await propertyCheck(count: 100, input: Gen.int(in: 0...255).array(of: 0...24)) { check(.bytes($0.map(UInt8.init))) }
        await propertyCheck(count: 200, input: Gen.int64(in: -1_000_000_000_000...1_000_000_000_000), Gen.int(in: -12...12)) { mantissa, exponent in
            check(.double(Double(mantissa) * pow(10, Double(exponent))))
        }
        // Years 1000 to 9999, the range all three accept as bound values.
        await propertyCheck(count: 200, input: Gen.int64(in: -30_610_224_000_000_000...253_402_300_799_999_999)) { microseconds in
            check(.timestamp(Timestamp(microsecondsSinceEpoch: microseconds)))
        }
        for value: DatabaseValue in [.null, .integer(.min), .integer(.max), .text(""), .bytes([]), .double(0), .double(-0.0)] { check(value) }
        if backend != .mysql {
            for double in [Double.infinity, -Double.infinity] { check(.double(double)) }
        }
    }

    @Test("a statement's placeholders are replaced in order; ? and $1 inside strings, quoted names and comments are left alone", arguments: TestBackend.allCases)
    func inlinesOnlyPlaceholders(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let q = db.dialect.identifierQuote
        let p = db.dialect.placeholder
        let sql = "SELECT '?$1' AS \(q)a?$1\(q), \(p(1)) AS b, /* ? $1 */ \(p(2)) AS c -- ? $2\n"
        let inlined = try db.dialect.inlining(sql, [.text("it's ?"), .integer(7)])
        let row = try #require(try db.query(inlined, []).first)
        #expect(row.values == [.text("?$1"), .text("it's ?"), .integer(7)], "\(inlined)")
        #expect(throws: SQLLiteralError.self) { try db.dialect.inlining("SELECT \(p(1)), \(p(2))", [.integer(1)]) }
    }
}
