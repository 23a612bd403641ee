import TaskWardenCore
import Testing

@Suite("Value decoding")
struct ValueDecodingTests {
    @Test("lossless conversions succeed, lossy ones fail")
    func conversions() {
        #expect(Int64.fromDatabaseValue(.double(3)) == 3)
        #expect(Int64.fromDatabaseValue(.double(3.5)) == nil)
        #expect(Int64.fromDatabaseValue(.text("18446744073709551615")) == nil)
        #expect(Int32.fromDatabaseValue(.integer(Int64(Int32.max) + 1)) == nil)
        #expect(Double.fromDatabaseValue(.text("2.5")) == 2.5)
        #expect(Bool.fromDatabaseValue(.integer(1)) == true)
        #expect(Bool.fromDatabaseValue(.text("f")) == false)
        #expect(String.fromDatabaseValue(.null) == nil)
        #expect(String?.fromDatabaseValue(.null) == .some(nil))
        #expect(Int?.fromDatabaseValue(.text("x")) == nil)
        #expect(Timestamp.fromDatabaseValue(.integer(1_700_000_000)) == nil)
    }

    @Test("a value as plain text, as a run id is written everywhere: text as stored, digits, SQL time text, UTF-8 bytes; else its description")
    func plainText() throws {
        #expect(DatabaseValue.text("r-1 \"quoted\"").plainText == "r-1 \"quoted\"")
        #expect(DatabaseValue.integer(-42).plainText == "-42")
        #expect(DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-02 03:04:05.5"))).plainText == "2020-01-02 03:04:05.500000")
        #expect(DatabaseValue.bytes(Array("uuid-ish".utf8)).plainText == "uuid-ish")
        #expect(DatabaseValue.bytes([0xFF, 0xFE]).plainText == "<2 bytes>")
        #expect(DatabaseValue.null.plainText == "NULL")
    }

    @Test("rows find columns by exact name first, then ignoring case")
    func rowLookup() throws {
        let row = Row(columns: ["id", "ID", "Status"], values: [1, 2, "running"])
        #expect(row["ID"] == .integer(2))
        #expect(row["id"] == .integer(1))
        #expect(try row.decode(String.self, "status") == "running")
        #expect(throws: RowDecodingError.self) { try row.decode(Int.self, "nope") }
        #expect(throws: RowDecodingError.self) { try row.decode(Int.self, "Status") }
    }

    @Test("identifiers: plain names pass, anything else is refused", arguments: [
        ("task_runs", true), ("jobs.task_runs", true), ("_x1", true), ("TaskExecution", true),
        ("1abc", false), ("a-b", false), ("a b", false), ("a;drop", false), ("\"x\"", false), ("a.b.c", false),
        ("", false), ("x.", false), ("tâche", false), (String(repeating: "a", count: 64), false),
    ])
    func identifiers(text: String, valid: Bool) {
        #expect(((try? SQLIdentifier(text)) != nil) == valid)
    }

    @Test("error messages fold to one line")
    func oneLine() {
        #expect("connection failed\n\tIs the server running?\n".oneLine == "connection failed Is the server running?")
        let error = DatabaseError(backend: .mysql, category: .connectionLost, sqlState: "HY000", vendorCode: 2013, message: "Lost connection\nduring query")
        #expect(error.description == "MySQL/MariaDB: Lost connection during query [SQLSTATE HY000, code 2013]")
        #expect(error.category.isTransient)
        #expect(!DatabaseError.Category.constraintViolation.isTransient)
    }
}

@Suite("Durations")
struct DurationTextTests {
    @Test("durations parse", arguments: [
        ("90d", 7_776_000.0), ("10m", 600), ("30s", 30), ("500ms", 0.5), ("1h30m", 5_400), ("2w", 1_209_600), (" 1.5h ", 5_400),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(try Duration(parsing: text).seconds == seconds)
    }

    @Test("bare numbers and garbage are refused", arguments: ["", "10", "ten minutes", "5y", "-5m", "m", "1e9999s"])
    func refuses(text: String) {
        #expect(throws: DurationParseError.self) { try Duration(parsing: text) }
    }

    @Test("compact text round-trips")
    func compact() throws {
        for text in ["90d", "1h30m", "250ms", "10m", "1d2h3m4s5ms"] {
            #expect(try Duration(parsing: text).compactText == text)
        }
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("waits grow exponentially, capped, with full jitter between zero and the cap")
    func delays() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeAttempt: 2, random: { $0.upperBound }) == .milliseconds(100))
        #expect(policy.delay(beforeAttempt: 3, random: { $0.upperBound }) == .milliseconds(200))
        #expect(policy.delay(beforeAttempt: 5, random: { $0.upperBound }) == .milliseconds(800))
        #expect(policy.delay(beforeAttempt: 9, random: { $0.upperBound }) == .seconds(1))
        #expect(policy.delay(beforeAttempt: 9, random: { $0.lowerBound }) == .zero)
        for _ in 0..<100 {
            let delay = policy.delay(beforeAttempt: 4)
            #expect(delay >= .zero && delay <= .milliseconds(400))
        }
    }

    @Test("after an error: retry within the attempts and the total time, never waiting past it")
    func delayAfterError() throws {
        let policy = RetryPolicy(maxAttempts: 3, maxTotalTime: .seconds(10), initialDelay: .seconds(4), maxDelay: .seconds(8))
        let lost = DatabaseError(backend: .postgresql, category: .connectionLost, message: "x")
        let delay = try #require(policy.delay(after: lost, attempt: 1, elapsed: .zero))
        #expect(delay >= .zero && delay <= .seconds(4))
        for _ in 0..<50 {
            #expect(try #require(policy.delay(after: lost, attempt: 2, elapsed: .seconds(9))) <= .seconds(1), "a wait ran past the total time")
        }
        #expect(policy.delay(after: lost, attempt: 3, elapsed: .zero) == nil, "the attempts are spent")
        #expect(policy.delay(after: lost, attempt: 1, elapsed: .seconds(10)) == nil, "the total time has passed")
        #expect(policy.delay(after: DatabaseError(backend: .postgresql, category: .authentication, message: "x"), attempt: 1, elapsed: .zero) == nil)
    }

    @Test("the default is bounded by time, not by a count: attempt 50 is still retried within 60 s")
    func boundedByTime() {
        let lost = DatabaseError(backend: .postgresql, category: .connectionLost, message: "x")
        #expect(RetryPolicy.standard.maxTotalTime == .seconds(60))
        #expect(RetryPolicy.standard.delay(after: lost, attempt: 50, elapsed: .seconds(59)) != nil)
        #expect(RetryPolicy.standard.delay(after: lost, attempt: 50, elapsed: .seconds(60)) == nil)
    }

    @Test("only transient categories are retried by default")
    func retryable() {
        let policy = RetryPolicy.standard
        for category in [DatabaseError.Category.connectionLost, .timeout, .lockTimeout, .deadlock, .busy] {
            #expect(policy.isRetryable(DatabaseError(backend: .mysql, category: category, message: "x")))
        }
        for category in [DatabaseError.Category.constraintViolation, .authentication, .other] {
            #expect(!policy.isRetryable(DatabaseError(backend: .mysql, category: category, message: "x")))
        }
        #expect(RetryPolicy.never.maxAttempts == 1)
    }
}
