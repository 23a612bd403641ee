import Foundation
import PackagePlugin

/// Generates the Swift side of `sql/` and `migrations/` into a target at build time.
///
/// The SQL folders are the single source: `TaskWardenSQLGenerator` writes a typed statement per
/// statement of `sql/` (and the text of `migrations/`) into the build directory on every build
/// that sees a `.sql` file change, and nothing generated is committed. A SQL file the template
/// language refuses (docs/sql.md) fails the build. `TaskWardenBenchmark` gets only the
/// benchmark's own statements (`sql/bench/`, as `BenchmarkSQL`); every other target gets
/// everything else, so the shipped binary carries no benchmark SQL.
@main
struct EmbedSQLPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let isBenchmark = target.name == "TaskWardenBenchmark"
        let output = context.pluginWorkDirectoryURL.appendingPathComponent(isBenchmark ? "BenchmarkSQLStatements.swift" : "SQLStatements.swift")
        // The target's folder links to ../../sql (and ../../migrations), so SwiftPM lists the
        // .sql files among the target's files: adding or removing one re-plans the build,
        // which files listed only by this plugin would not do.
        let inputs = (target as? SourceModuleTarget)?.sourceFiles(withSuffix: "sql").map(\.url) ?? []
        return [
            .buildCommand(
                displayName: "Generating typed SQL statements for \(target.name)",
                executable: try context.tool(named: "TaskWardenSQLGenerator").url,
                arguments: [root.path, output.path, isBenchmark ? "--benchmark" : "--shipped"],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
