@_exported import TaskWardenCore
@_exported import TaskWardenLocking
@_exported import TaskWardenMaintenance
@_exported import TaskWardenMigrations
@_exported import TaskWardenMySQL
@_exported import TaskWardenPostgreSQL
@_exported import TaskWardenSQLite
@_exported import TaskWardenWorker
