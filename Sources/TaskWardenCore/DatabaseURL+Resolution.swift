import Foundation

/// Which database a command works on when the user names none, or names it in several places.
extension DatabaseURL {
    /// Where a resolved URL came from.
    package enum Source: Sendable, Hashable, CustomStringConvertible {
        case option
        /// A file holding the URL, named by `--database-file` or `$TASKWARDEN_DATABASE_URL_FILE`.
        case optionFile(String)
        case environment(String)
        case embeddedDefault

        package var description: String {
            switch self {
            case .option: "--database"
            case .optionFile(let path): "file \(path)"
            case .environment(let name): "$\(name)"
            case .embeddedDefault: "default"
            }
        }
    }

    /// The SQLite file used when no URL is given, relative to the working directory.
    package static let defaultSQLiteFile = "taskwarden.sqlite"

    /// Environment variables consulted, in order of precedence.
    package static let environmentVariables = ["TASKWARDEN_DATABASE_URL", "DATABASE_URL"]

    /// The environment variable naming a file that holds the URL (a mounted secret).
    package static let fileEnvironmentVariable = "TASKWARDEN_DATABASE_URL_FILE"

    /// Resolves the URL to use: `--database`, then the file named by `--database-file`, then
    /// `$TASKWARDEN_DATABASE_URL`, then the file named by `$TASKWARDEN_DATABASE_URL_FILE`, then
    /// `$DATABASE_URL`, then the embedded default, a SQLite file in the working directory.
    ///
    /// A URL on the command line is visible to every user of the machine in `/proc/PID/cmdline`;
    /// the environment and files (Docker and Kubernetes secrets are mounted as files) are not.
    /// An empty value counts as unset, so `DATABASE_URL=` in a deploy template does not turn
    /// into an error.
    package static func resolve(
        option: String?, optionFile: String? = nil, environment: [String: String]
    ) throws(DatabaseURLError) -> (url: DatabaseURL, source: Source) {
        if let option, !option.isEmpty {
            return (try DatabaseURL(parsing: option), .option)
        }
        if let optionFile, !optionFile.isEmpty {
            return (try parse(fileAt: optionFile), .optionFile(optionFile))
        }
        if let value = environment[environmentVariables[0]], !value.isEmpty {
            return (try parse(value, from: environmentVariables[0]), .environment(environmentVariables[0]))
        }
        if let path = environment[fileEnvironmentVariable], !path.isEmpty {
            return (try parse(fileAt: path), .optionFile(path))
        }
        if let value = environment[environmentVariables[1]], !value.isEmpty {
            return (try parse(value, from: environmentVariables[1]), .environment(environmentVariables[1]))
        }
        return (try DatabaseURL(parsing: "sqlite:\(defaultSQLiteFile)"), .embeddedDefault)
    }

    private static func parse(_ value: String, from variable: String) throws(DatabaseURLError) -> DatabaseURL {
        do {
            return try DatabaseURL(parsing: value)
        } catch {
            throw DatabaseURLError("$\(variable): \(error.message)")
        }
    }

    /// Reads a URL from the first line of the file at `path`.
    private static func parse(fileAt path: String) throws(DatabaseURLError) -> DatabaseURL {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).code == NSFileReadNoSuchFileError ? "no such file" : "cannot read it"
            throw DatabaseURLError("database URL file \(path): \(reason)")
        }
        guard data.count <= 64 * 1_024, let text = String(data: data, encoding: .utf8) else {
            throw DatabaseURLError("database URL file \(path): not a URL in UTF-8 text of at most 64 KiB")
        }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !firstLine.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DatabaseURLError("database URL file \(path) is empty")
        }
        do {
            return try DatabaseURL(parsing: firstLine)
        } catch {
            throw DatabaseURLError("database URL file \(path): \(error.message)")
        }
    }
}
