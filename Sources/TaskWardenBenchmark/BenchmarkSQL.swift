/// The benchmark's own statements, `sql/bench/`, generated at build time into this target only
/// (see `EmbedSQLPlugin`), so the shipped `taskwarden` binary does not carry them:
/// `sql/bench/heartbeat.sql` is `BenchmarkSQL.Heartbeat`.
enum BenchmarkSQL {}
