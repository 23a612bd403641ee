import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

@testable import TaskWardenMigrations

/// Generated file names, version paddings, statement blocks and folders: a parser defect
/// that is a class (a padding, a separator, a block shape) shows up here, not in one fixture.
@Suite("Migration formats, generated")
struct MigrationFormatPropertyTests {
    static let titleCharacters = Array("abcxyz019_.-")
    static let title = Gen.element(of: titleCharacters).map { $0! }.array(of: 0...12).map { String($0) }
    static let extensionCase = Gen.element(of: ["sql", "SQL", "Sql"]).map { $0! }

    @Test("golang-migrate names: any version with any zero padding, any title, either direction, any extension case")
    func golangMigrateNames() async {
        await propertyCheck(
            count: 500, input: Gen.int64(in: 1...Int64.max), Gen.int(in: 0...20), Self.title, Gen.bool, Self.extensionCase
        ) { version, padding, title, up, ext in
            let name = String(repeating: "0", count: padding) + "\(version)_\(title).\(up ? "up" : "down").\(ext)"
            let parsed = GolangMigrateFileName(name)
            #expect(parsed?.version == version, "\(name)")
            #expect(parsed?.title == title, "\(name)")
            #expect(parsed?.direction == (up ? .up : .down), "\(name)")
            #expect(MigrationFormat.formats(claiming: name, text: "").contains(.golangMigrate), "\(name)")
            #expect(FlywayFileName(name) == nil, "\(name)")
            #expect(GolangMigrateFileName(String(repeating: "0", count: padding) + "\(version)_\(title).\(ext)") == nil)
        }
    }

    @Test("Flyway names: versions with any '.'/'_' parts, descriptions with underscores; only whole versions are integers")
    func flywayNames() async {
        let parts = Gen.int(in: 0...99_999).array(of: 1...4)
        let separators = Gen.element(of: [".", "_"]).map { $0! }.array(of: 3)
        let words = Gen.element(of: ["Create", "people", "table", "x1", "A"]).map { $0! }.array(of: 1...4)
        await propertyCheck(count: 500, input: parts, separators, words, Self.extensionCase) { parts, separators, words, ext in
            var version = String(parts[0] + 1)
            for (part, separator) in zip(parts.dropFirst(), separators) { version += separator + String(part) }
            let name = "V\(version)__\(words.joined(separator: "_")).\(ext)"
            let parsed = FlywayFileName(name)
            #expect(parsed?.prefix == .versioned, "\(name)")
            #expect(parsed?.versionText == version.replacingOccurrences(of: "_", with: "."), "\(name)")
            #expect(parsed?.description == words.joined(separator: " "), "\(name)")
            #expect(parsed?.integerVersion == (parts.count == 1 ? Int64(parts[0] + 1) : nil), "\(name)")
            #expect(FlywayFileName("R__\(words.joined(separator: "_")).\(ext)")?.prefix == .repeatable)
            #expect(GolangMigrateFileName(name) == nil)
        }
    }

    /// A goose up section of `shapes`: 0 a one-line statement, 1 a statement over two lines,
    /// 2 a PL/pgSQL function in a StatementBegin/End block full of ';', 3 a comment line and
    /// a blank line before a statement. Returns the file and the statements goose means.
    static func gooseFile(_ shapes: [Int]) -> (text: String, statements: [String]) {
        var lines = ["-- header; goose skips it", "-- +goose Up"]
        var statements: [String] = []
        for (index, shape) in shapes.enumerated() {
            switch shape {
            case 0:
                lines.append("SELECT \(index);")
                statements.append("SELECT \(index)")
            case 1:
                lines += ["SELECT \(index),", "  'a;b' AS s; -- trailing; comment"]
                statements.append("SELECT \(index),\n  'a;b' AS s")
            case 2:
                let body = "CREATE FUNCTION f\(index)() RETURNS int AS $$\nBEGIN\n  PERFORM \(index);\n  RETURN \(index);\nEND;\n$$ LANGUAGE plpgsql"
                lines += ["-- +goose StatementBegin"] + body.split(separator: "\n").map(String.init) + [";", "-- +goose StatementEnd"]
                statements.append(body + "\n")
            default:
                lines += ["-- a note; with a semicolon", "", "DELETE FROM t\(index);"]
                statements.append("DELETE FROM t\(index)")
            }
        }
        return (lines.joined(separator: "\n") + "\n-- +goose Down\nDROP TABLE t;\n", statements)
    }

    @Test("goose: any mix of one-line, multi-line, commented and StatementBegin/End statements splits as goose splits it")
    func gooseBlocks() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...3).array(of: 1...12)) { shapes in
            let (text, expected) = Self.gooseFile(shapes)
            do {
                let script = try GooseScript(text: text, path: "x", backend: .postgresql)
                // Comment lines belong to the statement after them; compare the code.
                let code = script.up.map { $0.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n") }
                #expect(code == expected.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }, "\(text)")
                #expect(script.down == ["DROP TABLE t"])
            } catch {
                Issue.record("\(error)\n\(text)")
            }
        }
    }

    /// One file of `format` with version `version`: its name and its text.
    static func file(_ format: MigrationFormat, version: Int, padding: Int) -> (String, String) {
        let number = String(repeating: "0", count: padding) + String(version)
        switch format {
        case .taskwarden: return ("\(number)_m\(version).sql", "-- taskwarden:up\nSELECT \(version);\n")
        case .golangMigrate: return ("\(number)_m\(version).up.sql", "SELECT \(version);\n")
        case .goose: return ("\(number)_m\(version).sql", "-- +goose Up\nSELECT \(version);\n")
        case .flyway: return ("V\(number)__m\(version).sql", "SELECT \(version);\n")
        case .dbmate: return ("\(number)_m\(version).sql", "-- migrate:up\nSELECT \(version);\n")
        }
    }

    @Test("a folder of one format is detected as it, whatever the versions and paddings; one file of another format makes it mixed")
    func detection() async throws {
        let formats = Gen.element(of: MigrationFormat.allCases).map { $0! }
        await propertyCheck(
            count: 200, input: formats, Gen.int(in: 1...1_000).array(of: 1...6), Gen.int(in: 0...4), formats
        ) { format, versions, padding, intruder in
            let unique = Array(Set(versions)).sorted()
            var files = Dictionary(uniqueKeysWithValues: unique.map { Self.file(format, version: $0, padding: padding) })
            let folder = files.keys.sorted().map { MigrationFolder.File(name: $0, path: $0, text: files[$0]!) }
            #expect((try? MigrationFormat.detect(folder, in: "dir")) == format, "\(files.keys.sorted())")
            guard intruder != format else { return }
            let (name, text) = Self.file(intruder, version: 5_000, padding: 0)
            files[name] = text
            let mixed = files.keys.sorted().map { MigrationFolder.File(name: $0, path: $0, text: files[$0]!) }
            do throws(MigrationFileError) {
                _ = try MigrationFormat.detect(mixed, in: "dir")
                Issue.record("\(format) with a \(intruder) file was not refused: \(files.keys.sorted())")
            } catch {
                #expect(error.kind == .mixedFormats, "\(error)")
                #expect(error.reason.contains(name), "\(error)")
            }
        }
    }
}
