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
        let template = SQLTemplate("UPDATE t SET a = :value WHERE id = :id AND a <> :value")
        #expect(template.parameterNames == ["value", "id"])
        let pg = try template.render(for: Self.postgres, ["value": 1, "id": 2, "unused": 3])
        #expect(pg.sql == "UPDATE t SET a = $1 WHERE id = $2 AND a <> $1")
        #expect(pg.parameters == [1, 2])
        let my = try template.render(for: Self.mysql, ["value": 1, "id": 2])
        #expect(my.sql == "UPDATE t SET a = ? WHERE id = ? AND a <> ?")
        #expect(my.parameters == [1, 2, 1])
    }

    @Test("casts, assignments, strings, identifiers and comments keep their colons")
    func leavesColonsAlone() throws {
        let source = """
            SELECT :a::bigint, ':not', "col:x", `t:y`, 'it''s :no', @v := 1 -- :comment
            /* :block */ FROM t WHERE x = :b
            """
        let rendered = try SQLTemplate(source).render(for: Self.postgres, ["a": 1, "b": 2])
        #expect(rendered.sql == source.replacingOccurrences(of: ":a::", with: "$1::").replacingOccurrences(of: "= :b", with: "= $2"))
        #expect(rendered.parameters == [1, 2])
    }

    @Test("a missing value is an error naming the parameter")
    func missing() {
        let error = #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT :x").render(for: Self.mysql, [:]) }
        #expect(error?.description == "no value for SQL parameter :x")
    }
}

@Suite("SQL template shapes")
struct SQLTemplateShapeTests {
    @Test("names are quoted for the dialect, sections follow the mapped columns")
    func shape() throws {
        let template = SQLTemplate("""
            UPDATE {{table}} SET {{status}} = :new{{#error}}, {{error}} = :error{{/error}}
            WHERE {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}} < :cutoff
            """)
        let names = try ["table": SQLIdentifier("jobs.runs"), "status": SQLIdentifier("state"), "started_at": SQLIdentifier("began")]
        let mysql = try template.shaped(identifiers: names, for: SQLTemplateTests.mysql)
        #expect(mysql.source == "UPDATE `jobs`.`runs` SET `state` = :new\nWHERE `began` < :cutoff")
        var withAll = names
        withAll["error"] = try SQLIdentifier("error_message")
        withAll["heartbeat_at"] = try SQLIdentifier("beat")
        let postgres = try template.shaped(identifiers: withAll, for: SQLTemplateTests.postgres)
        #expect(postgres.source == "UPDATE \"jobs\".\"runs\" SET \"state\" = :new, \"error_message\" = :error\nWHERE COALESCE(\"beat\", \"began\") < :cutoff")
        #expect(postgres.parameterNames == ["new", "error", "cutoff"])
    }

    @Test("a name that is not mapped, or an unclosed section, is an error")
    func errors() {
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT {{x}}").shaped(identifiers: [:], for: SQLTemplateTests.mysql) }
        #expect(throws: SQLTemplateError.self) { try SQLTemplate("SELECT {{#x}}1").shaped(identifiers: [:], for: SQLTemplateTests.mysql) }
    }

    @Test("list parameters expand, and an empty list matches nothing")
    func lists() throws {
        let template = SQLTemplate("SELECT * FROM t WHERE s IN (:states) AND id > :after OR s IN (:states)")
        let pg = try template.render(for: SQLTemplateTests.postgres, ["after": 5], lists: ["states": ["a", "b"]])
        #expect(pg.sql == "SELECT * FROM t WHERE s IN ($1, $2) AND id > $3 OR s IN ($1, $2)")
        #expect(pg.parameters == ["a", "b", 5])
        let my = try template.render(for: SQLTemplateTests.mysql, ["after": 5], lists: ["states": ["a"]])
        #expect(my.sql == "SELECT * FROM t WHERE s IN (?) AND id > ? OR s IN (?)")
        #expect(my.parameters == ["a", 5, "a"])
        #expect(try template.render(for: SQLTemplateTests.mysql, ["after": 5], lists: ["states": []]).sql.contains("IN (NULL)"))
    }
}
