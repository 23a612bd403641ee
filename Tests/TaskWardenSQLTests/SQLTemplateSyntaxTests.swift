import TaskWardenSQLSyntax
import Testing

/// The parser, the interface the generator turns into Swift members, and the result columns.
@Suite("SQL template syntax")
struct SQLTemplateSyntaxTests {
    @Test("values, lists, element values, names, sections and blocks parse into their nodes")
    func parse() throws {
        let nodes = try SQLTemplateSyntax.parse(
            "SELECT {{id}} FROM t WHERE a IN (:ids...) {{#if after}}AND b > :after_id{{else}}AND c{{/if}} -- :not\n"
                + "{{#each arm in arms, joined by UNION ALL}}:arm.status {{arm.number}}{{/each}} {{integer pages}}")
        #expect(nodes == [
            .text("SELECT "), .name("id"), .text(" FROM t WHERE a IN ("), .list("ids"), .text(") "),
            .section(.if, "after", then: [.text("AND b > "), .parameter("after_id")], otherwise: [.text("AND c")]),
            .text(" -- :not\n"),
            .each(element: "arm", list: "arms", separator: "UNION ALL", body: [
                .elementParameter(element: "arm", field: "status"), .text(" "), .elementNumber(element: "arm"),
            ]),
            .text(" "), .integer("pages"),
        ])
    }

    @Test("what the language refuses, with the line")
    func refusals() {
        let cases: [(String, Int)] = [
            ("SELECT 1\n{{#if a}}", 2),
            ("SELECT {{#if a}}1{{/has}}", 1),
            ("SELECT {{/if}}", 1),
            ("SELECT {{#when a}}1{{/when}}", 1),
            ("SELECT\n\n:arm.status", 3),
            ("SELECT {{a b c}}", 1),
            ("SELECT {{else}}", 1),
            ("SELECT {{#each arm of arms}}1{{/each}}", 1),
            ("SELECT {{ id", 1),
        ]
        for (source, line) in cases {
            let error = #expect(throws: SQLTemplateSyntaxError.self, "\(source)") { try SQLTemplateSyntax.parse(source) }
            #expect(error?.line == line, "\(source): \(String(describing: error))")
        }
    }

    @Test("the interface: parameters in order of first use, flags, names, blocks")
    func interface() throws {
        let interface = try SQLTemplateInterface(SQLTemplateSyntax.parse("""
            SELECT {{#has kind}}{{kind}}{{/has}} FROM {{table}} WHERE s IN (:statuses...) AND a = :a
            {{#if by_kind}}AND k = :kind{{/if}}{{#unless fast}}AND a = :a{{/unless}}
            {{#each arm in arms}}:arm.status :arm.cutoff :arm.status {{arm.column}}{{/each}}
            """))
        #expect(interface.parameterOrder == ["statuses", "a", "kind"])
        #expect(interface.parameterKinds == ["statuses": .list, "a": .value, "kind": .value])
        #expect(interface.flags == ["by_kind", "fast"])
        #expect(interface.names == ["kind", "table"])
        #expect(interface.blockOrder == ["arms"])
        #expect(interface.blocks["arms"] == SQLTemplateInterface.Block(element: "arm", fields: ["status", "cutoff"], nameFields: ["column"]))
    }

    @Test("dialect files that use one name as different things, or names that clash in Swift, are refused")
    func clashes() throws {
        let value = try SQLTemplateInterface(SQLTemplateSyntax.parse("SELECT :ids"))
        let list = try SQLTemplateInterface(SQLTemplateSyntax.parse("SELECT :ids..."))
        #expect(throws: SQLTemplateSyntaxError.self) { try value.merged(with: list) }
        #expect(throws: SQLTemplateSyntaxError.self) { try SQLTemplateInterface(SQLTemplateSyntax.parse("{{#if since}}:since{{/if}}")) }
        #expect(throws: SQLTemplateSyntaxError.self) { try SQLTemplateInterface(SQLTemplateSyntax.parse(":by_kind :by__kind")) }
        #expect(throws: SQLTemplateSyntaxError.self) {
            try SQLTemplateInterface(SQLTemplateSyntax.parse("{{#each w in writes}}{{w.column}} = :w.column{{/each}}"))
        }
        // Merging is a union: a value only one dialect uses is still a member.
        let other = try SQLTemplateInterface(SQLTemplateSyntax.parse("SELECT :ids, :extra {{#if f}}{{/if}}"))
        let merged = try value.merged(with: other)
        #expect(merged.parameterOrder == ["ids", "extra"])
        #expect(merged.flags == ["f"])
    }

    @Test("a dialect file keeps the flags and blocks of the shared file it overrides")
    func overrides() throws {
        func interface(_ sql: String) throws -> SQLTemplateInterface { try SQLTemplateInterface(SQLTemplateSyntax.parse(sql)) }
        let shared = try interface("DELETE FROM t WHERE 1 = 1{{#if by_age}} AND a < :cutoff{{/if}}{{#each arm in arms}}:arm.s{{/each}} LIMIT :limit")
        // Parameters may differ: this dialect has no LIMIT.
        try interface("DELETE FROM t WHERE 1 = 1{{#if by_age}} AND a < :cutoff{{/if}}{{#each arm in arms}}:arm.s{{/each}}").checkOverride(of: shared)
        #expect(throws: SQLTemplateSyntaxError.self) {
            try interface("DELETE FROM t WHERE 1 = 1{{#each arm in arms}}:arm.s{{/each}}").checkOverride(of: shared)
        }
        #expect(throws: SQLTemplateSyntaxError.self) {
            try interface("DELETE FROM t WHERE 1 = 1{{#if by_age}} AND a < :cutoff{{/if}}{{#each arm in arms}}1{{/each}}").checkOverride(of: shared)
        }
    }

    @Test("result columns: aliases, mapped names, bare and qualified columns; conditional ones marked")
    func resultColumns() throws {
        func columns(_ sql: String) throws -> [SQLResultColumn] { SQLTemplateSyntax.resultColumns(try SQLTemplateSyntax.parse(sql)) }
        #expect(try columns("-- :x\nSELECT {{status}} AS status {{#has worker}}, {{worker}} AS worker{{/has}}, COUNT(*) AS n, a.pid, id, 1 + 2 FROM t") == [
            .init(name: "status", isConditional: false), .init(name: "worker", isConditional: true),
            .init(name: "n", isConditional: false), .init(name: "pid", isConditional: false), .init(name: "id", isConditional: false),
        ])
        #expect(try columns("SELECT {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind FROM t") == [.init(name: "kind", isConditional: false)])
        #expect(try columns("WITH b AS (SELECT x AS y FROM t) SELECT (SELECT COUNT(*) FROM b) AS n, +f AS f") == [
            .init(name: "n", isConditional: false), .init(name: "f", isConditional: false),
        ])
        #expect(try columns("SELECT * FROM t") == [])
        #expect(try columns("UPDATE t SET a = 1") == [])
        #expect(try columns("SELECT a AS x FROM t UNION ALL SELECT b FROM u") == [.init(name: "x", isConditional: false)])
    }

    @Test("snake-case names become Swift members and types")
    func swiftNames() {
        #expect(SQLTemplateInterface.swiftName("after_finished_at") == "afterFinishedAt")
        #expect(SQLTemplateInterface.swiftName("ids_1") == "ids1")
        #expect(SQLTemplateInterface.typeName("next_boundary") == "NextBoundary")
    }
}
