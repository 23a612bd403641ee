-- The database's clock; for SQLite, the clock of the machine running TaskWarden (UTC).
SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS now
