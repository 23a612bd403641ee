import ArgumentParser
import TaskWarden

/// Lets options take durations as people type them: `30s`, `10m`, `90d`.
extension Duration: @retroactive ExpressibleByArgument {
    public init?(argument: String) {
        guard let duration = try? Duration(parsing: argument) else { return nil }
        self = duration
    }

    public var defaultValueDescription: String { compactText }
}
