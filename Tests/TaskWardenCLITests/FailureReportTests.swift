import Testing
import TaskWardenCore
@testable import TaskWardenCLI

@Suite("Failure classification")
struct FailureReportTests {
    @Test("a COMMIT whose outcome is unknown is a database error (exit 4), not an internal one")
    func commitOutcomeUnknown() {
        let lost = DatabaseError(backend: .postgresql, category: .connectionLost, message: "server closed the connection unexpectedly")
        let report = FailureReport(CommitOutcomeUnknown(underlying: lost))
        #expect(report.status == .databaseError)
        #expect(report.message.contains("COMMIT"))
    }
}
