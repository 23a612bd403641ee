import Foundation
import PackagePlugin

/// Embeds `migrations/` and `sql/` into a target at build time.
///
/// The SQL folders are the single source; the Swift file holding their text is generated into
/// the build directory on every build that sees a `.sql` file change, and never committed.
/// `TaskWardenBenchmark` gets only the benchmark's own statements (`sql/bench/`);
/// every other target gets everything else, so the shipped binary carries no benchmark SQL.
@main
struct EmbedSQLPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let isBenchmark = target.name == "TaskWardenBenchmark"
        let typeName = isBenchmark ? "BenchmarkSQL" : "EmbeddedSQL"
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("\(typeName)Files.swift")
        // The target's folder links to ../../sql (and ../../migrations), so SwiftPM lists the
        // .sql files among the target's files: adding or removing one re-plans the build,
        // which files listed only by this plugin would not do.
        let inputs = (target as? SourceModuleTarget)?.sourceFiles(withSuffix: "sql").map(\.url) ?? []
        return [
            .buildCommand(
                displayName: "Embedding SQL into \(target.name)",
                executable: try context.tool(named: "TaskWardenSQLGenerator").url,
                arguments: [root.path, output.path, typeName, isBenchmark ? "--only-area" : "--except-area", "bench"],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
