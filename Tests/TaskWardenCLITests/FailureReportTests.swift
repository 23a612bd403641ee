import Testing
import TaskWardenCore
@testable import TaskWardenCLI

@Suite("Failure classification")
struct FailureReportTests {
    @Test("a COMMIT whose outcome is unknown is a database error (exit 4), not an internal one, and says what to do")
    func commitOutcomeUnknown() {
        let lost = DatabaseError(backend: .postgresql, category: .connectionLost, message: "server closed the connection unexpectedly")
        let report = FailureReport(CommitOutcomeUnknown(underlying: lost))
        #expect(report.status == .databaseError)
        #expect(report.message.contains("COMMIT"))
        #expect(report.message.contains("run the command again"))
        #expect(report.message.contains("migrate status"))
    }

    @Test("a connection lost mid-command is exit 4, says a rerun finishes; a standby's refusal names target_session_attrs")
    func lostAndReadOnly() {
        let lost = FailureReport(DatabaseError(backend: .postgresql, category: .connectionLost, message: "no connection to the server"))
        #expect(lost.status == .databaseError)
        #expect(lost.message.contains("lost the connection") && lost.message.contains("no connection to the server"))
        #expect(lost.message.contains("run the command again"))
        let readOnly = FailureReport(
            DatabaseError(
                backend: .postgresql, category: .readOnly, sqlState: "25006", message: "cannot execute UPDATE in a read-only transaction"))
        #expect(readOnly.status == .databaseError)
        #expect(readOnly.message.contains("standby") && readOnly.message.contains("target_session_attrs=read-write"))
        #expect(readOnly.message.contains("25006"))
    }
}
