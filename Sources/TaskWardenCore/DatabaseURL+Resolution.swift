/// Which database a command works on when the user names none, or names it in several places.
extension DatabaseURL {
    /// Where a resolved URL came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case option
        case environment(String)
        case embeddedDefault

        public var description: String {
            switch self {
            case .option: "--database"
            case .environment(let name): "$\(name)"
            case .embeddedDefault: "default"
            }
        }
    }

    /// The SQLite file used when no URL is given, relative to the working directory.
    public static let defaultSQLiteFile = "taskwarden.sqlite"

    /// Environment variables consulted, in order of precedence.
    public static let environmentVariables = ["TASKWARDEN_DATABASE_URL", "DATABASE_URL"]

    /// Resolves the URL to use: `--database`, then `TASKWARDEN_DATABASE_URL`, then
    /// `DATABASE_URL`, then the embedded default, a SQLite file in the working directory.
    ///
    /// An empty value counts as unset, so `DATABASE_URL=` in a deploy template does not turn
    /// into an error.
    public static func resolve(
        option: String?, environment: [String: String]
    ) throws(DatabaseURLError) -> (url: DatabaseURL, source: Source) {
        if let option, !option.isEmpty {
            return (try DatabaseURL(parsing: option), .option)
        }
        for name in environmentVariables {
            if let value = environment[name], !value.isEmpty {
                do {
                    return (try DatabaseURL(parsing: value), .environment(name))
                } catch {
                    throw DatabaseURLError("$\(name): \(error.message)")
                }
            }
        }
        return (try DatabaseURL(parsing: "sqlite:\(defaultSQLiteFile)"), .embeddedDefault)
    }
}
