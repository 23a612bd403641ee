import Foundation
import TaskWardenSQLSyntax

// Writes the Swift side of TaskWarden's SQL: one typed statement per statement of `sql/`, and
// the text of `migrations/`. Run by the `EmbedSQLPlugin` build-tool plugin at build time, so
// the SQL folders stay the single source and nothing generated is committed:
//
//     TaskWardenSQLGenerator ROOT OUTPUT (--shipped | --benchmark)
//
// `--shipped` writes `SQL.<Area>.<Name>` for every area but `bench`, and `EmbeddedSQL`'s
// migration files; `--benchmark` writes `BenchmarkSQL.<Name>` for `sql/bench/` alone, so the
// shipped binary carries no benchmark SQL. The template language is documented in docs/sql.md.
// A file the language refuses, or dialect files that disagree on a name, fail the build with
// the file and line.

/// A problem in a SQL file, reported as `path:line: error: message` so SwiftPM shows it.
struct GeneratorError: Error, CustomStringConvertible {
    let path: String
    let line: Int
    let message: String
    var description: String { "\(path):\(max(line, 1)): error: \(message)" }
}

/// One statement: its files, one shared and/or one per dialect.
struct Statement {
    static let dialects = ["postgresql", "mysql", "sqlite"]

    /// `runs/current`
    let name: String
    /// Path (relative to the root) and text, by dialect; `""` for the shared file.
    var files: [String: (path: String, text: String)] = [:]

    var area: String { String(name.split(separator: "/")[0]) }
    var baseName: String { String(name.split(separator: "/").last!) }

    /// The file each dialect uses: its own, else the shared one.
    var forms: [(dialect: String, path: String, text: String)] {
        Self.dialects.compactMap { dialect in
            guard let file = files[dialect] ?? files[""] else { return nil }
            return (dialect, file.path, file.text)
        }
    }
}

struct Generator {
    let root: URL
    let benchmark: Bool

    var namespace: String { benchmark ? "BenchmarkSQL" : "SQL" }
    var access: String { benchmark ? "" : "package " }

    /// The statements of `sql/` this target gets, by name.
    func statements() throws -> [Statement] {
        var statements: [String: Statement] = [:]
        let base = root.appendingPathComponent("sql")
        let partials = try Self.partials(under: base)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        for case let relative as String in enumerator where relative.hasSuffix(".sql") {
            let parts = relative.split(separator: "/")
            let path = "sql/\(relative)"
            if let file = parts.last, SQLPartials.isPartial(fileName: file) { continue }
            guard parts.count == 2 else { throw GeneratorError(path: path, line: 1, message: "statements live in sql/<area>/<name>.sql") }
            guard (parts[0] == "bench") == benchmark else { continue }
            var words = parts[1].dropLast(".sql".count).split(separator: ".").map(String.init)
            var dialect = ""
            if words.count == 2 {
                guard Statement.dialects.contains(words[1]) else {
                    throw GeneratorError(path: path, line: 1, message: "'\(words[1])' is not a dialect (postgresql, mysql, sqlite)")
                }
                dialect = words.removeLast()
            }
            guard words.count == 1, SQLTemplateSyntax.isIdentifier(Substring(words[0])), SQLTemplateSyntax.isIdentifier(parts[0]) else {
                throw GeneratorError(path: path, line: 1, message: "name a statement sql/<area>/<name>[.<dialect>].sql, with plain names")
            }
            let name = "\(parts[0])/\(words[0])"
            let source = try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
            let text: String
            do {
                text = try SQLPartials.expand(source, partials: partials)
            } catch {
                throw GeneratorError(path: path, line: error.line, message: error.message)
            }
            statements[name, default: Statement(name: name)].files[dialect] = (path, text)
        }
        return statements.values.sorted { $0.name < $1.name }
    }

    /// The partials of `sql/` (`sql/<area>/_<name>.sql`), by `<area>/<name>`.
    static func partials(under base: URL) throws -> [String: String] {
        var partials: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [:] }
        for case let relative as String in enumerator where relative.hasSuffix(".sql") {
            let parts = relative.split(separator: "/")
            guard parts.count == 2, SQLPartials.isPartial(fileName: parts[1]) else { continue }
            let name = "\(parts[0])/\(parts[1].dropFirst().dropLast(".sql".count))"
            partials[name] = try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
        }
        return partials
    }

    /// Every `.sql` file of `migrations/`, by path relative to the root.
    func migrationFiles() throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent("migrations")
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [(String, String)] = []
        for case let relative as String in enumerator where relative.hasSuffix(".sql") {
            files.append(("migrations/\(relative)", try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    func source() throws -> String {
        var out = [
            "// Generated at build time by TaskWardenSQLGenerator (the EmbedSQLPlugin build-tool plugin)",
            "// from sql/\(benchmark ? "bench/" : " and migrations/"). Not committed; edit the .sql files instead (docs/sql.md).",
            "",
            "import TaskWardenCore",
            "",
        ]
        let statements = try statements()
        if !benchmark {
            for area in Set(statements.map(\.area)).sorted() {
                out.append("extension SQL {")
                out.append("    /// The statements of `sql/\(area)/`.")
                out.append("    \(access)enum \(SQLTemplateInterface.typeName(area)) {}")
                out.append("}")
                out.append("")
            }
        }
        for statement in statements {
            out.append(contentsOf: try emit(statement))
            out.append("")
        }
        out.append("extension \(namespace) {")
        out.append("    /// Every statement, for tests that check them all.")
        out.append("    \(access)static let allStatements: [any SQLStatement.Type] = [")
        for statement in statements { out.append("        \(typePath(statement)).self,") }
        out.append("    ]")
        out.append("}")
        if !benchmark {
            out.append("")
            out.append("extension EmbeddedSQL {")
            out.append("    /// The .sql files of migrations/, by path relative to the repository root.")
            out.append("    static let migrationFiles: [String: String] = [")
            for (path, text) in try migrationFiles() { out.append("        \"\(path)\": \(Self.literal(text)),") }
            out.append("    ]")
            out.append("}")
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    func typePath(_ statement: Statement) -> String {
        benchmark
            ? "BenchmarkSQL.\(SQLTemplateInterface.typeName(statement.baseName))"
            : "SQL.\(SQLTemplateInterface.typeName(statement.area)).\(SQLTemplateInterface.typeName(statement.baseName))"
    }

    /// The Swift type of one statement.
    func emit(_ statement: Statement) throws -> [String] {
        // Members in order of first use: the shared file's, then each dialect file's. A dialect
        // file that overrides a shared one keeps its flags and blocks.
        var interface = SQLTemplateInterface()
        var shared: SQLTemplateInterface?
        for dialect in [""] + Statement.dialects {
            guard let file = statement.files[dialect] else { continue }
            do {
                let own = try SQLTemplateInterface(SQLTemplateSyntax.parse(file.text))
                if dialect.isEmpty { shared = own } else { try shared.map(own.checkOverride(of:)) }
                interface = try interface.merged(with: own)
            } catch {
                throw GeneratorError(path: file.path, line: error.line, message: error.message)
            }
        }
        var columnsByDialect: [[SQLResultColumn]] = []
        for form in statement.forms {
            guard let nodes = try? SQLTemplateSyntax.parse(form.text) else { continue }
            columnsByDialect.append(SQLTemplateSyntax.resultColumns(nodes))
        }
        let path = statement.forms.first!.path
        func fail(_ message: String) -> GeneratorError { GeneratorError(path: path, line: 1, message: message) }
        let typeName = SQLTemplateInterface.typeName(statement.baseName)
        let i = "    "
        var lines: [String] = []
        let container = benchmark ? "BenchmarkSQL" : "SQL.\(SQLTemplateInterface.typeName(statement.area))"
        lines.append("extension \(container) {")
        let summary = Self.summary(statement.files[""]?.text ?? statement.forms.first!.text)
        let fileList = statement.files.keys.sorted().map { statement.files[$0]!.path }.joined(separator: ", ")
        lines.append("\(i)/// \(summary.isEmpty ? "`sql/\(statement.name)`." : summary)")
        lines.append("\(i)///")
        lines.append("\(i)/// Generated from \(fileList).")
        lines.append("\(i)\(access)struct \(typeName): SQLStatement {")
        lines.append("\(i)\(i)\(access)static let name = \"\(statement.name)\"")
        let backends = statement.forms.map { ".\($0.dialect)" }.joined(separator: ", ")
        lines.append("\(i)\(i)\(access)static let backends: Set<DatabaseBackend> = [\(backends)]")
        let names = interface.names.map { "\"\($0)\"" }.joined(separator: ", ")
        lines.append("\(i)\(i)\(access)static let names: Set<String> = [\(names)]")
        lines.append("")

        // Members, and the initializer that takes them: every value, list and block required,
        // flags off unless given.
        var initParameters: [String] = []
        var assignments: [String] = []
        for (name, kind) in interface.parameters {
            let member = Self.member(name)
            let type = kind == .list ? "[DatabaseValue]" : kind == .integer ? "Int" : "DatabaseValue"
            lines.append("\(i)\(i)/// \(kind == .integer ? "`{{integer \(name)}}`" : "`:\(name)\(kind == .list ? "..." : "")`")")
            lines.append("\(i)\(i)\(access)var \(member): \(type)")
            initParameters.append("\(member): \(type)")
            assignments.append("self.\(member) = \(member)")
        }
        for list in interface.blockOrder {
            let block = interface.blocks[list]!
            let elementType = SQLTemplateInterface.typeName(block.element)
            guard !["Row", "Column", typeName].contains(elementType) else { throw fail("a block's element may not be named \(block.element)") }
            let member = Self.member(list)
            lines.append("\(i)\(i)/// One element per repetition of `{{#each \(block.element) in \(list)}}`.")
            lines.append("\(i)\(i)\(access)var \(member): [\(elementType)]")
            initParameters.append("\(member): [\(elementType)]")
            assignments.append("self.\(member) = \(member)")
        }
        for flag in interface.flags {
            let member = Self.member(flag)
            lines.append("\(i)\(i)/// `{{#if \(flag)}}` / `{{#unless \(flag)}}`")
            lines.append("\(i)\(i)\(access)var \(member): Bool")
            initParameters.append("\(member): Bool = false")
            assignments.append("self.\(member) = \(member)")
        }
        lines.append("")
        lines.append("\(i)\(i)\(access)init(\(initParameters.joined(separator: ", "))) {")
        for assignment in assignments { lines.append("\(i)\(i)\(i)\(assignment)") }
        lines.append("\(i)\(i)}")
        lines.append("")

        for list in interface.blockOrder {
            let block = interface.blocks[list]!
            let elementType = SQLTemplateInterface.typeName(block.element)
            lines.append("\(i)\(i)/// The values of one `\(block.element)` of `{{#each \(block.element) in \(list)}}`.")
            lines.append("\(i)\(i)\(access)struct \(elementType): Sendable, Hashable {")
            for field in block.fields { lines.append("\(i)\(i)\(i)\(access)var \(Self.member(field)): DatabaseValue") }
            for field in block.nameFields {
                lines.append("\(i)\(i)\(i)/// `{{\(block.element).\(field)}}`")
                lines.append("\(i)\(i)\(i)\(access)var \(Self.member(field)): SQLIdentifier")
            }
            let fieldParameters = (block.fields.map { "\(Self.member($0)): DatabaseValue" } + block.nameFields.map { "\(Self.member($0)): SQLIdentifier" })
                .joined(separator: ", ")
            lines.append("\(i)\(i)\(i)\(access)init(\(fieldParameters)) {")
            for field in block.fields + block.nameFields { lines.append("\(i)\(i)\(i)\(i)self.\(Self.member(field)) = \(Self.member(field))") }
            lines.append("\(i)\(i)\(i)}")
            lines.append("\(i)\(i)}")
            lines.append("")
        }

        let values = interface.parameters.filter { $0.kind == .value }.map { "\"\($0.name)\": \(Self.member($0.name))" }
        let lists = interface.parameters.filter { $0.kind == .list }.map { "\"\($0.name)\": \(Self.member($0.name))" }
        let flags = interface.flags.map { "\(Self.member($0)) ? \"\($0)\" : nil" }
        let blocks = interface.blockOrder.map { list -> String in
            let block = interface.blocks[list]!
            let fields = block.fields.map { "\"\($0)\": $0.\(Self.member($0))" }
                + block.nameFields.map { "\"\($0)\": .text($0.\(Self.member($0)).description)" }
            return "\"\(list)\": \(Self.member(list)).map { [\(fields.isEmpty ? ":" : fields.joined(separator: ", "))] }"
        }
        lines.append("\(i)\(i)\(access)var arguments: SQLArguments {")
        lines.append("\(i)\(i)\(i)SQLArguments(")
        lines.append("\(i)\(i)\(i)\(i)values: [\(values.isEmpty ? ":" : values.joined(separator: ", "))],")
        lines.append("\(i)\(i)\(i)\(i)lists: [\(lists.isEmpty ? ":" : lists.joined(separator: ", "))],")
        lines.append("\(i)\(i)\(i)\(i)flags: \(flags.isEmpty ? "[]" : "Set([\(flags.joined(separator: ", "))].compactMap { $0 })"),")
        let integers = interface.parameters.filter { $0.kind == .integer }.map { "\"\($0.name)\": \(Self.member($0.name))" }
        lines.append("\(i)\(i)\(i)\(i)blocks: [\(blocks.isEmpty ? ":" : blocks.joined(separator: ", "))],")
        lines.append("\(i)\(i)\(i)\(i)integers: [\(integers.isEmpty ? ":" : integers.joined(separator: ", "))])")
        lines.append("\(i)\(i)}")
        lines.append("")

        // One template per distinct file, parsed once, on first use; the generator parsed the
        // same text with the same parser, so it cannot fail.
        var templateNames: [String: String] = [:]
        for form in statement.forms where templateNames[form.path] == nil {
            let dialect = statement.files[form.dialect] != nil ? form.dialect : "shared"
            templateNames[form.path] = dialect
            lines.append("\(i)\(i)private static let \(dialect) = try! SQLTemplate(\(Self.literal(form.text)))")
        }
        lines.append("")
        lines.append("\(i)\(i)\(access)static func template(for backend: DatabaseBackend) -> SQLTemplate? {")
        lines.append("\(i)\(i)\(i)switch backend {")
        for dialect in Statement.dialects {
            let form = statement.forms.first { $0.dialect == dialect }
            lines.append("\(i)\(i)\(i)case .\(dialect): \(form.map { templateNames[$0.path]! } ?? "nil")")
        }
        lines.append("\(i)\(i)\(i)}")
        lines.append("\(i)\(i)}")
        lines.append("")

        // Result columns: required when every form has it outside any section.
        var columnOrder: [String] = []
        var required: [String: Bool] = [:]
        for columns in columnsByDialect {
            for column in columns {
                if required[column.name] == nil { columnOrder.append(column.name) }
                required[column.name] = (required[column.name] ?? true) && !column.isConditional
            }
        }
        for name in columnOrder where columnsByDialect.contains(where: { !$0.contains { $0.name == name } }) { required[name] = false }
        var members: Set<String> = ["raw", "decode"]
        lines.append("\(i)\(i)/// A result row, with an accessor per column the generator could name.")
        lines.append("\(i)\(i)\(access)struct Row: SQLResultRow {")
        lines.append("\(i)\(i)\(i)\(access)let raw: TaskWardenCore.Row")
        lines.append("\(i)\(i)\(i)\(access)init(_ raw: TaskWardenCore.Row) { self.raw = raw }")
        if !columnOrder.isEmpty {
            lines.append("")
            lines.append("\(i)\(i)\(i)/// The columns, by the names the SQL gives them.")
            lines.append("\(i)\(i)\(i)\(access)enum Column: String, Sendable {")
            for name in columnOrder {
                let member = Self.member(name)
                guard members.insert(member).inserted else { throw fail("result column \(name) would be the Swift member '\(member)' twice") }
                lines.append("\(i)\(i)\(i)\(i)case \(member) = \"\(name)\"")
            }
            lines.append("\(i)\(i)\(i)}")
            for name in columnOrder {
                if required[name]! {
                    lines.append("\(i)\(i)\(i)\(access)var \(Self.member(name)): DatabaseValue { raw[\"\(name)\"] ?? .null }")
                } else {
                    lines.append("\(i)\(i)\(i)/// Only in some dialects or sections: `nil` where the statement does not select it.")
                    lines.append("\(i)\(i)\(i)\(access)var \(Self.member(name)): DatabaseValue? { raw[\"\(name)\"] }")
                }
            }
            lines.append("")
            lines.append("\(i)\(i)\(i)/// The value of `column` as `T`, or an error naming the column.")
            lines.append("\(i)\(i)\(i)\(access)func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, _ column: Column) throws -> T {")
            lines.append("\(i)\(i)\(i)\(i)try raw.decode(type, column.rawValue)")
            lines.append("\(i)\(i)\(i)}")
        }
        lines.append("\(i)\(i)}")
        lines.append("\(i)}")
        lines.append("}")
        return lines
    }

    /// The file's first comment sentence, for the type's doc comment.
    static func summary(_ text: String) -> String {
        var words: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let content = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if content.isEmpty || content.hasPrefix(":") { break }
            words.append(content)
            if content.hasSuffix(".") { break }
        }
        return words.joined(separator: " ")
    }

    static let keywords: Set<String> = [
        "as", "break", "case", "catch", "class", "continue", "default", "defer", "do", "else", "enum", "extension",
        "fallthrough", "false", "for", "func", "guard", "if", "import", "in", "init", "internal", "is", "let", "nil",
        "operator", "private", "protocol", "public", "repeat", "rethrows", "return", "self", "static", "struct",
        "subscript", "super", "switch", "throw", "throws", "true", "try", "typealias", "var", "where", "while",
    ]

    /// A SQL name as a Swift member, backquoted where it is a keyword.
    static func member(_ name: String) -> String {
        let member = SQLTemplateInterface.swiftName(name)
        return keywords.contains(member) ? "`\(member)`" : member
    }

    /// The text as a raw string literal that no `"` or `#` inside it can end early.
    static func literal(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"\(hashes)") || text.contains("\"\(hashes)") { hashes += "#" }
        // A multi-line literal drops the newline before its closing delimiter: add it back.
        return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 3, ["--shipped", "--benchmark"].contains(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: TaskWardenSQLGenerator ROOT OUTPUT (--shipped | --benchmark)\n".utf8))
    exit(2)
}
let generator = Generator(root: URL(fileURLWithPath: arguments[0]), benchmark: arguments[2] == "--benchmark")
let output = URL(fileURLWithPath: arguments[1])
do {
    let source = try generator.source()
    // Rewriting an unchanged file would make every build recompile the module.
    if (try? String(contentsOf: output, encoding: .utf8)) != source {
        try source.write(to: output, atomically: true, encoding: .utf8)
    }
} catch let error as GeneratorError {
    FileHandle.standardError.write(Data("\(generator.root.appendingPathComponent(error.path).path):\(max(error.line, 1)): error: \(error.message)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("TaskWardenSQLGenerator: \(error)\n".utf8))
    exit(1)
}
