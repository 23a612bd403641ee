import TaskWardenCore

/// TaskWarden's statements, one Swift type per statement of `sql/`, generated at build time.
///
/// `sql/runs/current.sql` (with any `current.<dialect>.sql`) becomes `SQL.Runs.Current`: its
/// parameters, flags and repeated blocks are the type's members, and its result columns its
/// `Row`'s accessors, so a statement that is missing, a flag that is misspelled or a value
/// that is not given fails the build (see docs/sql.md for the template language):
///
/// ```swift
/// let rows = try db.query(SQL.Runs.Current(id: .integer(42)), names: table.identifiers)
/// let status = rows.first?.status
/// ```
package enum SQL {}
