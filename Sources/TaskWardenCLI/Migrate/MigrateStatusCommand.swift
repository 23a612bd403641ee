import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden migrate status`: each migration's state, and drift, for people and CI gates.
struct MigrateStatusCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied, pending, changed, missing, failed and newer migrations.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Flag(help: "Exit non-zero unless up to date: 5 drift, 6 failed/interrupted, 8 pending.")
    var exitCode = false

    func run() throws {
        try migration.withMigrator(globals) { session, migrator in
            let report = try migrator.status()
            if globals.json {
                JSONOutput.print(StatusReportJSON(report))
            } else {
                print(StatusTable(report).text)
            }
            if exitCode, let status = Self.gateStatus(report) {
                throw ExitCode(status.code)
            }
        }
    }

    /// The exit status a CI gate should see, or `nil` when up to date.
    static func gateStatus(_ report: MigrationStatusReport) -> ExitStatus? {
        if !report.dirty.isEmpty { return .dirty }
        if !report.drift.isEmpty { return .validationFailed }
        if !report.pending.isEmpty { return .pending }
        return nil
    }
}

/// `status` as a table for people.
struct StatusTable {
    let report: MigrationStatusReport
    init(_ report: MigrationStatusReport) { self.report = report }

    var text: String {
        var lines = ["set '\(report.setName)': version \(report.currentVersion)" + (report.historyExists ? "" : " (never migrated)")]
        let rows = report.entries.map { entry -> [String] in
            [
                entry.version < 0 ? "R" : String(entry.version), entry.name, entry.status.rawValue,
                entry.record?.changedAt?.description ?? "", entry.record?.appliedBy ?? "",
                Self.statements(entry), entry.record?.error ?? "",
            ]
        }
        lines += TextTable(header: ["VERSION", "NAME", "STATUS", "CHANGED AT", "BY", "STATEMENTS", "ERROR"], rows: rows).lines
        var summary: [String] = []
        if !report.pending.isEmpty { summary.append("\(report.pending.count) pending") }
        if !report.drift.isEmpty { summary.append("\(report.drift.count) drifted (run migrate validate)") }
        if !report.dirty.isEmpty { summary.append("\(report.dirty.count) failed or interrupted (fix, then migrate repair)") }
        if !report.newer.isEmpty { summary.append("\(report.newer.count) applied by a newer version of TaskWarden") }
        lines.append(summary.isEmpty ? "up to date" : summary.joined(separator: "; "))
        // What to do, with which statements ran (the summary line alone cannot say it).
        for entry in report.dirty { lines.append(Migrator.dirtyMessage(entry)) }
        return lines.joined(separator: "\n")
    }

    /// `1 of 3 done` for a failed or interrupted migration: which statements ran.
    static func statements(_ entry: MigrationStatusReport.Entry) -> String {
        guard entry.status == .failed || entry.status == .inProgress, let record = entry.record else { return "" }
        return "\(record.statementsDone)\(entry.migration.map { " of \($0.upStatements.count)" } ?? "") done"
    }
}

/// `status` as JSON.
struct StatusReportJSON: Encodable {
    struct Entry: Encodable {
        let version: Int64
        let name: String
        let status: String
        let checksum: String?
        let recordedChecksum: String?
        let changedAt: String?
        let appliedBy: String?
        let toolVersion: String?
        let executionMilliseconds: Int64?
        /// Statements completed (for a failed or interrupted migration, where it stopped).
        let statementsDone: Int?
        let statementCount: Int?
        let error: String?
    }

    let ok = true
    let set: String
    let currentVersion: Int64
    let upToDate: Bool
    let historyExists: Bool
    let entries: [Entry]

    init(_ report: MigrationStatusReport) {
        set = report.setName
        currentVersion = report.currentVersion
        upToDate = report.isUpToDate
        historyExists = report.historyExists
        entries = report.entries.map {
            Entry(
                version: $0.version, name: $0.name, status: $0.status.rawValue, checksum: $0.migration?.checksum,
                recordedChecksum: $0.record?.checksum, changedAt: $0.record?.changedAt?.iso8601,
                appliedBy: $0.record?.appliedBy, toolVersion: $0.record?.toolVersion,
                executionMilliseconds: $0.record?.executionMilliseconds, statementsDone: $0.record?.statementsDone,
                statementCount: $0.migration?.upStatements.count, error: $0.record?.error)
        }
    }
}
