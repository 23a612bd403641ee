// The modules an application uses, re-exported so that `import TaskWarden` is enough. The
// drivers are not among them: ``Database`` picks one by the URL's scheme, and applications
// hold a connection through the `DatabaseConnection` protocol, never a driver's type.
@_exported import TaskWardenCore
@_exported import TaskWardenLocking
@_exported import TaskWardenMaintenance
@_exported import TaskWardenMigrations
@_exported import TaskWardenSchema
@_exported import TaskWardenWorker
@_exported import TaskWardenWatch
