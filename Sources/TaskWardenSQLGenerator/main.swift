import Foundation

/// Writes a Swift file holding the text of every `.sql` file under `migrations/` and `sql/`.
///
/// Run by the `EmbedSQLPlugin` build-tool plugin at build time, so the folders stay the single
/// source of SQL and nothing generated is committed:
///
///     TaskWardenSQLGenerator ROOT OUTPUT TYPE (--only-area AREA | --except-area AREA)
///
/// `TYPE` is the enum the generated `files` dictionary extends (`EmbeddedSQL`, or
/// `BenchmarkSQL` for the benchmark's own statements under `sql/bench/`, which stay
/// out of the shipped binary).
struct Generator {
    let root: URL
    let output: URL
    let typeName: String
    /// `sql/<area>/...` files kept: only this area, or every area but it.
    let area: String
    let onlyArea: Bool

    func keeps(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        let inArea = components.count > 2 && components[0] == "sql" && components[1] == area
        return onlyArea ? inArea : !inArea
    }

    /// Every `.sql` file kept, by path relative to the root, sorted.
    func files() throws -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        for folder in ["migrations", "sql"] {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in enumerator where relative.hasSuffix(".sql") {
                let path = "\(folder)/\(relative)"
                guard keeps(path) else { continue }
                files.append((path, try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The file's text as a raw string literal that no `"` or `#` inside it can end early.
    static func literal(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"\(hashes)") || text.contains("\"\(hashes)") { hashes += "#" }
        // A multi-line literal drops the newline before its closing delimiter: add it back.
        return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
    }

    func source() throws -> String {
        var lines = [
            "// Generated at build time by TaskWardenSQLGenerator (the EmbedSQLPlugin build-tool plugin)",
            "// from migrations/ and sql/. Not committed; edit the .sql files instead.",
            "",
            "extension \(typeName) {",
            "    /// The .sql files of migrations/ and sql/, by path relative to the repository root.",
            "    static let files: [String: String] = [",
        ]
        for (path, text) in try files() {
            lines.append("        \"\(path)\": \(Self.literal(text)),")
        }
        lines.append(contentsOf: ["    ]", "}", ""])
        return lines.joined(separator: "\n")
    }
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 5, ["--only-area", "--except-area"].contains(arguments[arguments.startIndex + 3]) else {
    FileHandle.standardError.write(Data("usage: TaskWardenSQLGenerator ROOT OUTPUT TYPE (--only-area | --except-area) AREA\n".utf8))
    exit(2)
}
let values = Array(arguments)
let generator = Generator(
    root: URL(fileURLWithPath: values[0]), output: URL(fileURLWithPath: values[1]), typeName: values[2], area: values[4],
    onlyArea: values[3] == "--only-area")
do {
    let source = try generator.source()
    // Rewriting an unchanged file would make every build recompile the module.
    if (try? String(contentsOf: generator.output, encoding: .utf8)) != source {
        try source.write(to: generator.output, atomically: true, encoding: .utf8)
    }
} catch {
    FileHandle.standardError.write(Data("TaskWardenSQLGenerator: \(error)\n".utf8))
    exit(1)
}
