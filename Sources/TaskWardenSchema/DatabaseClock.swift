import TaskWardenCore
import TaskWardenSQL

/// The database's clock, which every age TaskWarden judges is measured from.
///
/// Workers write their heartbeats with the database's `now()`, or with clocks that drift; judging
/// staleness by one clock, the database's, keeps a skewed TaskWarden host from recovering live
/// runs. On SQLite the database's clock is this machine's.
public enum DatabaseClock {
    public static func now(on connection: any DatabaseConnection) throws -> Timestamp {
        let (sql, _) = try SQL.Clock.Now().render(for: connection.dialect)
        return try connection.queryValue(Timestamp.self, sql)
    }
}
