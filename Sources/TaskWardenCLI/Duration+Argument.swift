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

extension Duration? {
    /// Refuses a threshold or retention of zero: `--older-than 0s` would take live runs for stuck ones.
    func requirePositive(_ option: String) throws {
        if let self, self <= .zero { throw ValidationError("\(option) must be longer than zero (e.g. 30m)") }
    }
}
