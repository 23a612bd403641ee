import PropertyBased
import TaskWardenCore
import Testing

/// Generated statements and values: a value is never spliced into the SQL, and every
/// placeholder has exactly one bound value, on each placeholder style.
@Suite("SQL rendering, generated")
struct SQLRenderingPropertyTests {
    static let postgres = SQLDialect(
        backend: .postgresql, placeholderStyle: .dollarNumbered, returning: .all, supportsDeleteLimit: false,
        supportsSkipLocked: true, locking: .advisoryLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN")
    static let mysql = SQLDialect(
        backend: .mysql, placeholderStyle: .questionMark, returning: [], supportsDeleteLimit: true,
        supportsSkipLocked: true, locking: .namedLock, identifierQuote: "`", beginTransactionSQL: "START TRANSACTION")

    /// Values a splice would show: SQL punctuation, quotes, a marker no template contains.
    static let valueText = Gen.element(of: ["'", "\"", ";", "--", "?", "$1", ":x", "{{a}}", " ", "Z", "DROP"]).map { $0! }
        .array(of: 1...6).map { "SPLICED" + $0.joined() }

    /// A statement of `uses` (which parameter each occurrence is: 0-2 are values, 3 a list),
    /// each inside or outside a flag section.
    static func source(_ uses: [Int], sections: [Bool]) -> String {
        let names = ["a", "b", "c", "ids..."]
        return "SELECT 1 FROM t WHERE 1 = 1" + zip(uses, sections).map { use, inSection in
            let clause = use == 3 ? " AND x IN (:ids...)" : " AND x = :\(names[use])"
            return inSection ? "{{#if on}}\(clause){{/if}}" : clause
        }.joined()
    }

    @Test("no value text reaches the SQL, and placeholders match bound values")
    func neverSplices() async {
        await propertyCheck(
            count: 300, input: Gen.int(in: 0...3).array(of: 1...8), Gen.bool.array(of: 8), Self.valueText.array(of: 4), Gen.bool
        ) { uses, sections, texts, on in
            let arguments = SQLArguments(
                values: ["a": .text(texts[0]), "b": .text(texts[1]), "c": .text(texts[2])],
                lists: ["ids": [.text(texts[3]), .text(texts[0])]], flags: on ? ["on"] : [])
            do {
                let template = try SQLTemplate(Self.source(uses, sections: Array(sections.prefix(uses.count))))
                let my = try template.render(for: Self.mysql, arguments)
                let pg = try template.render(for: Self.postgres, arguments)
                #expect(!my.sql.contains("SPLICED") && !pg.sql.contains("SPLICED"), "\(my.sql)")
                #expect(my.sql.filter { $0 == "?" }.count == my.parameters.count, "\(my.sql) \(my.parameters)")
                // PostgreSQL numbers each distinct value once: the highest number is the count.
                let numbers = Set(pg.sql.split(separator: "$").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) })
                #expect(numbers == Set(pg.parameters.indices.map { $0 + 1 }), "\(pg.sql) \(pg.parameters)")
                #expect(Set(my.parameters) == Set(pg.parameters))
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a list expands to one placeholder per element, a block to one copy per element")
    func listsAndBlocks() async {
        await propertyCheck(count: 300, input: Self.valueText.array(of: 0...12), Self.valueText.array(of: 1...5)) { list, elements in
            do {
                let template = try SQLTemplate(
                    "SELECT 1 WHERE x IN (:ids...){{#each arm in arms, joined by UNION ALL}} SELECT {{arm.number}} WHERE s = :arm.status AND k = :k{{/each}}")
                let arguments = SQLArguments(
                    values: ["k": "kind"], lists: ["ids": list.map(DatabaseValue.text)],
                    blocks: ["arms": elements.map { ["status": .text($0)] }])
                let my = try template.render(for: Self.mysql, arguments)
                #expect(my.parameters.count == max(list.count, 0) + 2 * elements.count)
                #expect(my.sql.filter { $0 == "?" }.count == my.parameters.count)
                #expect(my.sql.components(separatedBy: "UNION ALL").count == elements.count)
                #expect(my.sql.contains("IN (NULL)") == list.isEmpty)
                let pg = try template.render(for: Self.postgres, arguments)
                // The shared :k is bound once; each element's status once per element.
                #expect(pg.parameters.count == list.count + 1 + elements.count)
                #expect(!my.sql.contains("SPLICED") && !pg.sql.contains("SPLICED"))
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
