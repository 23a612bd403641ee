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
