@_exported import TaskWardenCore
@_exported import TaskWardenMySQL
@_exported import TaskWardenPostgreSQL
@_exported import TaskWardenSQLite
