import TaskWardenCore
import Testing

@Suite("SQL templates")
struct SQLTemplateTests {
    static let postgres = SQLDialect(
        backend: .postgresql, placeholderStyle: .dollarNumbered, returning: .all, supportsDeleteLimit: false,
        supportsSkipLocked: true, locking: .advisoryLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN")
    static let mysql = SQLDialect(
        backend: .mysql, placeholderStyle: .questionMark, returning: [], supportsDeleteLimit: true,
        supportsSkipLocked: true, locking: .namedLock, identifierQuote: "`", beginTransactionSQL: "START TRANSACTION")

    @Test("named parameters become numbered or positional placeholders")
    func render() throws {
        let template = try SQLTemplate("UPDATE t SET a = :value WHERE id = :id AND a <> :value")
        #expect(template.parameterNames == ["value", "id"])
        let pg = try template.render(for: Self.postgres, SQLArguments(values: ["value": 1, "id": 2, "unused": 3]))
        #expect(pg.sql == "UPDATE t SET a = $1 WHERE id = $2 AND a <> $1")
        #expect(pg.parameters == [1, 2])
        let my = try template.render(for: Self.mysql, SQLArguments(values: ["value": 1, "id": 2]))
        #expect(my.sql == "UPDATE t SET a = ? WHERE id = ? AND a <> ?")
        #expect(my.parameters == [1, 2, 1])
    }

    @Test("casts, assignments, strings, identifiers and comments keep their colons")
    func leavesColonsAlone() throws {
        let source = """
            SELECT :a::bigint, ':not', "col:x", `t:y`, 'it''s :no', @v := 1 -- :comment
            /* :block */ FROM t WHERE x = :b
            """
        let rendered = try SQLTemplate(source).render(for: Self.postgres, SQLArguments(values: ["a": 1, "b": 2]))
        #expect(rendered.sql == source.replacingOccurrences(of: ":a::", with: "$1::").replacingOccurrences(of: "= :b", with: "= $2"))
        #expect(rendered.parameters == [1, 2])
    }

    @Test("a missing value is an error naming the parameter")
    func missing() throws {
        let template = try SQLTemplate("SELECT :x")
        let error = #expect(throws: SQLTemplateError.self) { try template.render(for: Self.mysql, SQLArguments()) }
        #expect(error?.description == "no value for SQL parameter :x")
    }
}

@Suite("SQL template shapes")
struct SQLTemplateShapeTests {
    @Test("names are quoted for the dialect, sections follow the mapped columns")
    func shape() throws {
        let template = try SQLTemplate("""
            UPDATE {{table}} SET {{status}} = :new{{#has error}}, {{error}} = :error{{/has}}
            WHERE {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff
            """)
        let names = try ["table": SQLIdentifier("jobs.runs"), "status": SQLIdentifier("state"), "started_at": SQLIdentifier("began")]
        let arguments = SQLArguments(values: ["new": "done", "error": "boom", "cutoff": 7])
        let mysql = try template.render(for: SQLTemplateTests.mysql, names: names, arguments)
        #expect(mysql.sql == "UPDATE `jobs`.`runs` SET `state` = ?\nWHERE `began` < ?")
        #expect(mysql.parameters == ["done", 7])
        var withAll = names
        withAll["error"] = try SQLIdentifier("error_message")
        withAll["heartbeat_at"] = try SQLIdentifier("beat")
        let postgres = try template.render(for: SQLTemplateTests.postgres, names: withAll, arguments)
        #expect(postgres.sql == "UPDATE \"jobs\".\"runs\" SET \"state\" = $1, \"error_message\" = $2\nWHERE COALESCE(\"beat\", \"began\") < $3")
        #expect(postgres.parameters == ["done", "boom", 7])
        #expect(template.parameterNames == ["new", "error", "cutoff"])
    }

    @Test("flags keep or drop their sections, and #unless the other way round")
    func flags() throws {
        let template = try SQLTemplate("SELECT 1{{#if a}} AND a = :a{{/if}}{{#unless a}} AND no_a{{/unless}}{{#if b}} AND b{{else}} AND not_b{{/if}}")
        let off = try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["a": 1]))
        #expect(off.sql == "SELECT 1 AND no_a AND not_b")
        #expect(off.parameters == [])
        let on = try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["a": 1], flags: ["a", "b"]))
        #expect(on.sql == "SELECT 1 AND a = ? AND b")
        #expect(on.parameters == [1])
    }

    @Test("a name that is not mapped, or an unclosed or mismatched section, is an error")
    func errors() throws {
        let unmapped = try SQLTemplate("SELECT {{x}}")
        #expect(throws: SQLTemplateError.self) { try unmapped.render(for: SQLTemplateTests.mysql, SQLArguments()) }
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT {{#has x}}1") }
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT {{#if x}}1{{/has}}") }
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT {{#x}}1{{/x}}") }
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT :arm.status") }
    }

    @Test("list parameters expand, and an empty list matches nothing")
    func lists() throws {
        let template = try SQLTemplate("SELECT * FROM t WHERE s IN (:states...) AND id > :after OR s IN (:states...)")
        let pg = try template.render(for: SQLTemplateTests.postgres, SQLArguments(values: ["after": 5], lists: ["states": ["a", "b"]]))
        #expect(pg.sql == "SELECT * FROM t WHERE s IN ($1, $2) AND id > $3 OR s IN ($1, $2)")
        #expect(pg.parameters == ["a", "b", 5])
        let my = try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["after": 5], lists: ["states": ["a"]]))
        #expect(my.sql == "SELECT * FROM t WHERE s IN (?) AND id > ? OR s IN (?)")
        #expect(my.parameters == ["a", 5, "a"])
        #expect(try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["after": 5], lists: ["states": []])).sql.contains("IN (NULL)"))
    }

    @Test("an element's names are quoted for the dialect, and one that is not an identifier is refused")
    func elementNames() throws {
        let template = try SQLTemplate("UPDATE t SET {{#each w in writes, joined by ,}}{{w.column}} = :w.value{{/each}} WHERE id = :id")
        let writes: [[String: DatabaseValue]] = [["column": "result", "value": "x"], ["column": "traceback", "value": "y"]]
        let pg = try template.render(for: SQLTemplateTests.postgres, SQLArguments(values: ["id": 1], blocks: ["writes": writes]))
        #expect(pg.sql == "UPDATE t SET \"result\" = $1\n,\n\"traceback\" = $2 WHERE id = $3")
        #expect(pg.parameters == ["x", "y", 1])
        let my = try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["id": 1], blocks: ["writes": [["column": "result", "value": "x"]]]))
        #expect(my.sql == "UPDATE t SET `result` = ? WHERE id = ?")
        #expect(throws: SQLTemplateError.self) {
            try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["id": 1], blocks: ["writes": [["column": "a`; DROP", "value": "x"]]]))
        }
    }

    @Test("a repeated block is written once per element, joined, with its own values")
    func repetition() throws {
        let template = try SQLTemplate("""
            {{#each arm in arms, joined by UNION ALL}}SELECT {{arm.number}} AS arm WHERE s = :arm.status AND k = :kind{{/each}}
            """)
        let arms: [[String: DatabaseValue]] = [["status": "a"], ["status": "b"], ["status": "c"]]
        let pg = try template.render(for: SQLTemplateTests.postgres, SQLArguments(values: ["kind": "k"], blocks: ["arms": arms]))
        #expect(pg.sql == """
            SELECT 1 AS arm WHERE s = $1 AND k = $2
            UNION ALL
            SELECT 2 AS arm WHERE s = $3 AND k = $2
            UNION ALL
            SELECT 3 AS arm WHERE s = $4 AND k = $2
            """)
        #expect(pg.parameters == ["a", "k", "b", "c"])
        let one = try template.render(for: SQLTemplateTests.mysql, SQLArguments(values: ["kind": "k"], blocks: ["arms": [["status": "a"]]]))
        #expect(one.sql == "SELECT 1 AS arm WHERE s = ? AND k = ?")
        #expect(one.parameters == ["a", "k"])
    }

    @Test("an integer is written as digits, where SQL binds nothing")
    func integers() throws {
        let template = try SQLTemplate("PRAGMA cache_size = {{integer pages}}")
        #expect(try template.render(for: SQLTemplateTests.mysql, SQLArguments(integers: ["pages": -8192])).sql == "PRAGMA cache_size = -8192")
    }
}
